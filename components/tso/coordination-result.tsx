"use client";

import { TableHead } from "@/components/ui/table-head";
import { formatMs } from "@/components/dso/format";
import type { CoordinateResult } from "@/solver-worker/protocol";
import type { CoordinationRunView } from "@/lib/wire/coordination";

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "—");
const BASIS: Record<string, string> = { "lossless-balance": "LinDistFlow balance", "loss-compensated-balance": "balance with losses", "ac-fit": "AC-OPF fit" };

/** The region-based AC-OPF's outcome (paper 000 eq. 8): objective, set-points per PCC with the DSOs' costs and the LMPs, binding limits. */
export function CoordinationResultView({ result, wallMs }: { result: CoordinateResult; wallMs: number }) {
  const ok = result.status === "optimal";
  return (
    <div className="stack" data-testid="coordination-result">
      <div className={`alert ${ok ? "alert-ok" : "alert-error"}`} role="status" data-testid="coordination-summary">
        {result.networkName}: {result.status} — objective {f(result.objective, 2)} $/h (transmission generation {f(result.tsCostPerH, 2)} $/h, distribution systems{" "}
        {f(result.objective - result.tsCostPerH, 2)} $/h); {result.iterations} interior-point iterations, OPF {formatMs(result.solveMs)} ms, worker {formatMs(result.workerMs)} ms, whole run{" "}
        {formatMs(wallMs)} ms.{!ok && ` ${result.message}`}
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="coordination-setpoints">
          <TableHead
            columns={[
              "PCC bus",
              "Distribution system",
              { num: "p (MW)" },
              { num: "q (MVAr)" },
              { num: "v (p.u.)" },
              { num: "DSO cost ($/h)" },
              { num: "LMP P ($/MWh)" },
              { num: "LMP Q ($/MVArh)" },
              "On the region's boundary",
              "Cost model",
            ]}
          />
          <tbody>
            {result.setPoints.map((s) => (
              <tr key={s.regionId} data-bus={s.tsBus}>
                <td>{s.tsBus}</td>
                <td>{s.label}</td>
                <td className="num">{f(s.pMw, 4)}</td>
                <td className="num">{f(s.qMvar, 4)}</td>
                <td className="num">{f(s.vPu, 4)}</td>
                <td className="num">{f(s.dsCostPerH, 2)}</td>
                <td className="num">{f(s.lmpP, 2)}</td>
                <td className="num">{f(s.lmpQ, 2)}</td>
                <td>{s.onBoundary ? "yes" : "no"}</td>
                <td className="small muted">{BASIS[s.costBasis] ?? s.costBasis}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Binding limits of the transmission grid</h3>
      {result.binding.length === 0 ? (
        <p className="muted small" data-testid="coordination-binding-none">
          No limit of the transmission grid binds at the optimum.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="coordination-binding">
            <TableHead columns={["Limit", "Element", { num: "Value" }, { num: "Limit" }, { num: "Multiplier ($/h per unit)" }]} />
            <tbody>
              {result.binding.map((b, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only table of one result, never reordered, and rows have no id
                <tr key={i}>
                  <td>
                    {b.kind}
                    {b.side ? ` (${b.side})` : ""}
                  </td>
                  <td>{b.element}</td>
                  <td className="num">{f(b.value, 4)}</td>
                  <td className="num">{f(b.limit, 4)}</td>
                  <td className="num">{f(b.multiplier, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const STATUS_LABEL: Record<string, string> = { sent: "sent, no answer yet", accepted: "accepted", rejected: "rejected" };

/** The set-points the TSO sent and each DSO's answer (status and reason: all that comes back). */
export function CoordinationRuns({ runs }: { runs: CoordinationRunView[] }) {
  if (runs.length === 0) return <p className="muted small">No set-points sent yet.</p>;
  return (
    <div className="stack" data-testid="coordination-runs">
      {runs.map((r) => (
        <div key={r.id} className="table-wrap">
          <p className="small">
            {new Date(r.createdAt).toLocaleString()} · {r.transmissionGridName} · {r.status} · {r.objective.toFixed(2)} $/h
          </p>
          <table className="data" data-testid="coordination-run-table">
            <TableHead columns={["PCC bus", "Grid", "DSO", { num: "p (MW)" }, { num: "q (MVAr)" }, { num: "v (p.u.)" }, "Answer", "Reason"]} />
            <tbody>
              {r.setPoints.map((s) => (
                <tr key={s.id} data-bus={s.tsBus} data-status={s.status}>
                  <td>{s.tsBus}</td>
                  <td>{s.gridName}</td>
                  <td>{s.dso}</td>
                  <td className="num">{s.pMw.toFixed(4)}</td>
                  <td className="num">{s.qMvar.toFixed(4)}</td>
                  <td className="num">{s.vPu.toFixed(4)}</td>
                  <td data-testid="setpoint-answer">{STATUS_LABEL[s.status] ?? s.status}</td>
                  <td>{s.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
