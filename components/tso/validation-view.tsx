"use client";

import { useMemo } from "react";
import { PlotlyChart } from "@/components/dso/plotly-chart";
import type { ClearingIteration } from "@/lib/client/tso-clearing";
import styles from "./tso.module.css";
import { criticalLoadingFigure, criticalVoltageFigure } from "./validation-plots";
import type { TsoValidation } from "@/lib/wire/tso";
import { TableHead } from "@/components/ui/table-head";

const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : "—");

/** Paper Table I per grid: MAE and RMSE of voltages and loadings, violations, and the PCC exchange. */
export function ValidationTable({ validations }: { validations: TsoValidation[] }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="validation-table">
        <TableHead
          columns={[
            "Grid",
            "AC power flow",
            { num: "Violations" },
            { num: "V MAE" },
            { num: "V RMSE" },
            { num: "Loading MAE" },
            { num: "Loading RMSE" },
            { num: "Max error V / loading" },
            { num: "PCC import (MW)" },
          ]}
        />
        <tbody>
          {validations.map((v) => (
            <tr key={v.lightModelId} data-testid="validation-row" data-violations={v.violations} data-verdict={v.verdict}>
              <td>{v.gridName}</td>
              <td>{v.verdict === "no violation" ? <span className="badge badge-ok">no violation</span> : <span className="badge badge-bad">{v.verdict}</span>}</td>
              <td className="num" data-testid="validation-violations">
                {v.violations}
              </td>
              <td className="num" data-testid="validation-vmae">
                {sci(v.vMaePu)}
              </td>
              <td className="num">{sci(v.vRmsePu)}</td>
              <td className="num" data-testid="validation-lmae">
                {sci(v.lMaePct)}
              </td>
              <td className="num">{sci(v.lRmsePct)}</td>
              <td className="num">
                {sci(v.vMaxErrPu)} / {sci(v.lMaxErrPct)}
              </td>
              <td className="num">
                {v.pcc.basePMw.toFixed(3)} → {v.pcc.pMw.toFixed(3)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Voltages in p.u., loadings in % of the rating, over the monitored elements; PCC import without → with the dispatch.</p>
    </div>
  );
}

/** Paper Fig. 4-5 for one grid: critical busbar voltages and critical branch loadings, linear against AC. */
export function ValidationPlots({ v }: { v: TsoValidation }) {
  const voltage = useMemo(() => criticalVoltageFigure(v), [v]);
  const loading = useMemo(() => criticalLoadingFigure(v), [v]);
  return (
    <div>
      <h3>{v.gridName}: critical elements, linear prediction against AC power flow</h3>
      <div className={styles.plots}>
        <PlotlyChart figure={voltage} testId="validation-voltage-plot" height={320} />
        <PlotlyChart figure={loading} testId="validation-loading-plot" height={320} />
      </div>
    </div>
  );
}

/** The AC-verified loop: one row per clearing. */
export function IterationsTable({ iterations }: { iterations: ClearingIteration[] }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="iterations-table">
        <TableHead
          columns={[{ num: "Iteration" }, "Clearing", { num: "Activated (MW)" }, { num: "Cost (€)" }, { num: "Violations" }, { num: "Max error V (p.u.)" }, { num: "Max error loading (%)" }, "Then"]}
        />
        <tbody>
          {iterations.map((s) => (
            <tr key={s.iteration} data-testid="iteration-row" data-action={s.action}>
              <td className="num">{s.iteration}</td>
              <td>{s.status}</td>
              <td className="num">{s.totalMw.toFixed(3)}</td>
              <td className="num">{s.objectiveEur === null ? "—" : s.objectiveEur.toFixed(2)}</td>
              <td className="num">{s.vMaxErrPu === null ? "—" : s.violations}</td>
              <td className="num">{s.vMaxErrPu === null ? "—" : sci(s.vMaxErrPu)}</td>
              <td className="num">{s.lMaxErrPct === null ? "—" : sci(s.lMaxErrPct)}</td>
              <td>
                {s.action}
                {s.relinearized.length > 0 && <span className="muted small"> ({s.relinearized.join(", ")} at the dispatch)</span>}
                {s.tightened.length > 0 && <span className="muted small"> (limits of {s.tightened.join(", ")})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
