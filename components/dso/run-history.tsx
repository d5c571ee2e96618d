"use client";

import { TableHead } from "@/components/ui/table-head";
import { useDsoStore } from "./dso-store-context";
import { formatDateTime, formatKw, formatMs, formatPu } from "./format";

/** The grid's last recorded power flow runs (stored on the server, visible to its DSO only). */
export function RunHistory() {
  const history = useDsoStore((s) => s.history);
  if (history.length === 0) return null;
  return (
    <div className="card">
      <div className="card-title">
        <h2>Recent runs</h2>
        <span className="muted small">last {history.length}</span>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="run-history">
          <TableHead columns={["When", "Status", { num: "Iterations" }, { num: "V min (p.u.)" }, { num: "at bus" }, { num: "Losses (kW)" }, { num: "Solve (ms)" }]} />
          <tbody>
            {history.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.createdAt)}</td>
                <td>
                  <span className={`badge ${r.converged ? "badge-ok" : "badge-bad"}`}>{r.status.replace("_", " ")}</span>
                </td>
                <td className="num">{r.iterations}</td>
                <td className="num">{r.vmMinPu === null ? "—" : formatPu(r.vmMinPu)}</td>
                <td className="num">{r.vmMinBusId ?? "—"}</td>
                <td className="num">{r.lossPMw === null ? "—" : formatKw(r.lossPMw)}</td>
                <td className="num">{formatMs(r.solveMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
