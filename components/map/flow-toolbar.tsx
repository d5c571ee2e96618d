import styles from "./grid-map.module.css";
import { flowSummary } from "./flow-summary";
import type { GridFlows } from "./use-grid-flows";

/** The switch for all offered flexibility and the shown power flow's figures, above the map or diagram. */
export function FlowToolbar({ flows, fpuCount }: { flows: GridFlows; fpuCount: number }) {
  const { shown, pending, allFlex, setAllFlex, offered } = flows;
  const s = shown ? flowSummary(shown) : null;
  return (
    <div className={styles.toolbar}>
      <label className={styles.toggle}>
        <input type="checkbox" checked={allFlex} disabled={fpuCount === 0} onChange={(e) => setAllFlex(e.target.checked)} data-testid="map-all-flex-toggle" />
        All offered flexibility activated
        {offered && fpuCount > 0 && (
          <span className="muted small">
            (+{offered.upMw.toFixed(2)} MW from {fpuCount} units)
          </span>
        )}
      </label>
      <span className={`${styles.summary} ${s && (s.congested > 0 || s.voltageViolations > 0) ? styles.summaryAlarm : ""}`} data-testid="map-flow-summary" aria-live="polite">
        {pending?.phase === "running" && "Computing the AC power flow in the solver worker…"}
        {pending?.phase === "failed" && `The power flow failed: ${pending.message}`}
        {s && (
          <>
            {allFlex ? "All upward flexibility" : "Base case"}: {s.converged ? "converged" : "not converged"}; max loading {s.maxLoadingPct === null ? "n/a" : `${s.maxLoadingPct.toFixed(1)} %`}
            {s.maxLoadingBranchId ? ` (${s.maxLoadingBranchId})` : ""}; voltages {s.vmMin.toFixed(3)}–{s.vmMax.toFixed(3)} p.u.; <span data-testid="map-congested-count">{s.congested}</span> congested
            branch{s.congested === 1 ? "" : "es"}
            {s.voltageViolations > 0 ? `, ${s.voltageViolations} buses outside 0.95–1.05 p.u.` : ""}
          </>
        )}
      </span>
    </div>
  );
}
