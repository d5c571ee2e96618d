import { formatDateTime } from "@/components/dso/format";
import { TableHead } from "@/components/ui/table-head";
import type { PublishedModelSummary } from "@/lib/wire/tso";

/** The light models the DSOs published: all the TSO knows of their grids. */
export function PublishedModels({ models }: { models: PublishedModelSummary[] }) {
  if (models.length === 0) {
    return <p className="muted">No DSO has published a light model yet: there is nothing to clear against.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="data" data-testid="tso-light-models">
        <TableHead columns={["Grid", "DSO", "Published", "Operating points", { num: "Locations" }, { num: "Monitored (buses / branches)" }, "Q", { num: "Size (MB)" }, "Map"]} />
        <tbody>
          {models.map((m) => (
            <tr key={m.id}>
              <td>
                {m.gridName}
                <div className="muted small mono">{m.modelId}</div>
              </td>
              <td>{m.dso}</td>
              <td>{formatDateTime(m.publishedAt)}</td>
              <td className="small" style={{ maxWidth: 280, whiteSpace: "normal" }}>
                {m.operatingPoints.length}: {m.operatingPoints.map((o) => o.label).join("; ")}
              </td>
              <td className="num">{m.locations}</td>
              <td className="num">
                {m.monitoredBuses} / {m.monitoredBranches}
              </td>
              <td>{m.reactive ? "yes" : "no"}</td>
              <td className="num">{(m.sizeBytes / (1024 * 1024)).toFixed(2)}</td>
              <td>{m.demoMode ? <span className="badge badge-ok">demonstrator</span> : <span className="muted small">PCC only</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
