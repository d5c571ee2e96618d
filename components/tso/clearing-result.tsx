"use client";

import { useMemo, useState } from "react";
import type { ClearResult } from "@/solver-worker/protocol";
import { TableHead } from "@/components/ui/table-head";
import { BidCells, BidHeadCells } from "./bid-cells";
import { dispatchRows, dispatchTotals, type DispatchFilter } from "./dispatch-rows";
import { Pager } from "./pager";
import styles from "./tso.module.css";

const PAGE = 20;

/** The clearing: status and message (infeasible: the deliverable maximum), totals, each grid's operating point, each bid. */
export function ClearingResultView({ result, gridNames }: { result: ClearResult; gridNames: Map<string, string> }) {
  const c = result.clearing;
  const totals = useMemo(() => dispatchTotals(c.dispatch), [c.dispatch]);
  const ok = c.status === "optimal";
  return (
    <div className="stack">
      <div className={`${styles.status} ${ok ? styles.statusOk : styles.statusBad}`} role={ok ? "status" : "alert"} data-testid="clearing-status" data-status={c.status}>
        <span data-testid="clearing-message">{c.message}</span>
      </div>
      <ClearingKpis result={result} totals={totals} />
      <div className="table-wrap">
        <table className="data" data-testid="clearing-grids">
          <TableHead columns={["Grid", "Linearization used (Voronoi cell, eq. 14h)", { num: "Activated (MW)" }]} />
          <tbody>
            {c.grids.map((g, k) => (
              <tr key={g.gridId}>
                <td>{gridNames.get(g.gridId) ?? g.gridId}</td>
                <td>{result.grids[k].selectedLabel ?? "—"}</td>
                <td className="num">{g.totalMw.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {ok && totals.owners.length > 0 && <p className="small muted">By aggregator: {totals.owners.map((o) => `${o.owner} ${o.mw.toFixed(3)} MW (${o.costEur.toFixed(2)} €)`).join(" · ")}</p>}
      <ClearingBids dispatch={c.dispatch} gridNames={gridNames} ok={ok} />
    </div>
  );
}

/** Activated power against the request, cost, what could be delivered without congestion, the MILP's size and time. */
function ClearingKpis({ result, totals }: { result: ClearResult; totals: ReturnType<typeof dispatchTotals> }) {
  const c = result.clearing;
  return (
    <div className={styles.kpis}>
      <div className="kpi">
        <div className="label">Activated</div>
        <div className="value" data-testid="clearing-total">
          {c.totalMw.toFixed(3)} <small>MW</small>
        </div>
        <div className="sub">requested {c.requestMw} MW</div>
      </div>
      <div className="kpi">
        <div className="label">Cost (one hour)</div>
        <div className="value" data-testid="clearing-cost">
          {c.objectiveEur === null ? "—" : c.objectiveEur.toFixed(2)} <small>€</small>
        </div>
        <div className="sub">
          {totals.states.full} full · {totals.states.partial} partial · {totals.states.none} not activated
        </div>
      </div>
      {c.maxDeliverableMw !== undefined && (
        <div className="kpi">
          <div className="label">Deliverable without congestion</div>
          <div className="value" data-testid="clearing-max-deliverable">
            {c.maxDeliverableMw.toFixed(3)} <small>MW</small>
          </div>
          {c.deliverableRangeMw && (
            <div className="sub">
              range {c.deliverableRangeMw[0].toFixed(3)} … {c.deliverableRangeMw[1].toFixed(3)} MW
            </div>
          )}
        </div>
      )}
      <div className="kpi">
        <div className="label">MILP</div>
        <div className="value">
          {Math.round(result.solveMs)} <small>ms</small>
        </div>
        <div className="sub">
          {c.stats.binaries} binaries, {c.stats.constraints} rows, {c.stats.lazyRounds} lazy round{c.stats.lazyRounds === 1 ? "" : "s"}
        </div>
      </div>
    </div>
  );
}

/** Each bid's activation, a page at a time; the bids not activated on request. */
function ClearingBids({ dispatch, gridNames, ok }: { dispatch: ClearResult["clearing"]["dispatch"]; gridNames: Map<string, string>; ok: boolean }) {
  const [filter, setFilter] = useState<DispatchFilter>("activated");
  const [page, setPage] = useState(0);
  const rows = useMemo(() => dispatchRows(dispatch, filter), [dispatch, filter]);
  return (
    <>
      <div className="card-title">
        <h3>Bids</h3>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={filter === "all"}
            onChange={(e) => {
              setFilter(e.target.checked ? "all" : "activated");
              setPage(0);
            }}
          />{" "}
          show bids not activated
        </label>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="dispatch-table">
          <thead>
            <tr>
              <BidHeadCells volume="Offered" />
              <th>Activation</th>
              <th className="num">Activated (MW)</th>
              <th className="num">Fraction</th>
              <th className="num">Cost (€)</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(page * PAGE, (page + 1) * PAGE).map((d) => (
              <tr key={`${d.gridId}-${d.bidId}`} data-state={d.state}>
                <BidCells {...d} id={d.bidId} grid={gridNames.get(d.gridId) ?? d.gridId} />
                <td>{d.state === "full" ? <span className="badge badge-ok">full</span> : d.state === "partial" ? <span className="badge">partial</span> : <span className="muted">none</span>}</td>
                <td className="num">{d.activatedMw.toFixed(4)}</td>
                <td className="num">{(d.fraction * 100).toFixed(1)} %</td>
                <td className="num">{d.costEur.toFixed(2)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={10} className="muted">
                  {ok ? "No bid activated." : "Nothing activated: the request cannot be met (see above)."}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager page={page} pageSize={PAGE} total={rows.length} onPage={setPage} />
    </>
  );
}
