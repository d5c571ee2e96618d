import { formatDateTime } from "@/components/dso/format";
import { TableHead } from "@/components/ui/table-head";
import styles from "./audit-table.module.css";
import type { AuditEventView } from "@/lib/wire/accounts";

const OUTCOME_BADGE: Record<AuditEventView["outcome"], string> = { ok: "badge badge-ok", refused: "badge badge-bad", failed: "badge badge-bad" };

/** The detail object as short "key: value" text. */
function describeDetail(detail: AuditEventView["detail"]): string {
  if (!detail) return "";
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" · ");
}

export function AuditTable({ events }: { events: AuditEventView[] }) {
  if (events.length === 0) return <p className="empty">No events yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data">
        <TableHead columns={["When", "Who", "Action", "Object", "Outcome", "Details", "Request"]} />
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-action={e.action} data-outcome={e.outcome}>
              <td>{formatDateTime(e.at)}</td>
              <td>
                {e.username ?? <span className="muted">—</span>}
                {e.role && <span className="muted small"> ({e.role})</span>}
              </td>
              <td className="mono">{e.action}</td>
              <td>
                {e.objectType}
                {e.objectId && <span className="muted small mono"> {e.objectId.slice(0, 8)}</span>}
              </td>
              <td>
                <span className={OUTCOME_BADGE[e.outcome]}>{e.outcome}</span>
              </td>
              <td className={`small ${styles.detail}`}>{describeDetail(e.detail)}</td>
              <td className="muted small mono" title={e.requestId}>
                {e.requestId.slice(0, 8)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
