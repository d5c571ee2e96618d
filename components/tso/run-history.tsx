import { formatDateTime } from "@/components/dso/format";
import { TableHead } from "@/components/ui/table-head";
import type { RunListItem } from "@/lib/wire/tso";

/** The recent TSO clearings (ClearingRun, kind "tso"). */
export function TsoRunHistory({ runs }: { runs: RunListItem[] }) {
  if (runs.length === 0) return <p className="muted small">No clearing yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="tso-runs">
        <TableHead columns={["When", "By", { num: "Requested (MW)" }, "Mode", "Status", { num: "Activated (MW)" }, { num: "Cost (€)" }, { num: "Iterations" }, { num: "Violations" }]} />
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{formatDateTime(r.createdAt)}</td>
              <td>{r.by}</td>
              <td className="num">{r.requestMw}</td>
              <td>{r.verified ? "AC-verified" : "light model"}</td>
              <td>{r.status}</td>
              <td className="num">{r.totalMw.toFixed(3)}</td>
              <td className="num">{r.objectiveEur === null ? "—" : r.objectiveEur.toFixed(2)}</td>
              <td className="num">{r.iterations}</td>
              <td className="num">{r.violations ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
