import type { PowerFlowPayload } from "@/solver-worker/protocol";
import { formatKw, formatMs, formatPct, formatPu } from "./format";

export function PowerFlowSummaryCards({ result, wallMs }: { result: PowerFlowPayload; wallMs: number }) {
  const s = result.summary;
  return (
    <>
      <div className={`alert ${s.converged ? "alert-ok" : "alert-warn"}`} role="status" data-testid="pf-status">
        {s.converged ? (
          <>
            <strong>Converged</strong> in {s.iterations} Newton iterations (largest mismatch {s.maxMismatchPu.toExponential(1)} p.u.).
          </>
        ) : (
          <>
            <strong>Not converged:</strong> {s.message}
          </>
        )}{" "}
        {s.converged && s.islandedBusIds.length > 0 && <span>{s.message.replace(/^converged; /, "")}.</span>}
      </div>
      <div className="grid-4" style={{ marginTop: "1rem" }}>
        <div className="kpi" data-testid="kpi-vmin">
          <div className="label">Minimum voltage</div>
          <div className="value">
            {formatPu(s.vmMin)}
            <small>p.u.</small>
          </div>
          <div className="sub">
            at bus <strong data-testid="vmin-bus">{s.vmMinBusId}</strong> · max {formatPu(s.vmMax)} p.u. at bus {s.vmMaxBusId}
          </div>
        </div>
        <div className="kpi" data-testid="kpi-losses">
          <div className="label">Losses</div>
          <div className="value">
            {formatKw(s.lossPMw)}
            <small>kW</small>
          </div>
          <div className="sub">{formatKw(s.lossQMvar)} kVAr reactive</div>
        </div>
        <div className="kpi" data-testid="kpi-loading">
          <div className="label">Highest loading</div>
          <div className="value">
            {formatPct(s.maxLoadingPct)}
            {s.maxLoadingPct !== null && <small>%</small>}
          </div>
          <div className="sub">{s.maxLoadingBranchId !== null ? `branch ${s.maxLoadingBranchId}` : "no branch has a rating"}</div>
        </div>
        <div className="kpi" data-testid="kpi-solve">
          <div className="label">Slack import</div>
          <div className="value">
            {s.slackPMw.toFixed(3)}
            <small>MW</small>
          </div>
          <div className="sub">
            {s.slackQMvar.toFixed(3)} MVAr · solved in {formatMs(s.solveMs)} ms in the worker ({formatMs(wallMs)} ms end to end)
          </div>
        </div>
      </div>
    </>
  );
}
