import styles from "./bcm.module.css";

type Who = "you" | "dso" | "tso" | "others";

const ROWS: { what: string; sees: Record<Who, string | null> }[] = [
  {
    what: "Your portfolios: aggregated bids, prices, assets",
    sees: { you: "yes", dso: null, tso: null, others: null },
  },
  {
    what: "Per-asset bids: asset id, connection bus, volume",
    sees: { you: "yes", dso: "only assets in its own grid(s), no prices", tso: null, others: null },
  },
  {
    what: "Per-asset bids at opaque locations: volume, price",
    sees: { you: "yes", dso: null, tso: "yes — to clear them against the light models", others: null },
  },
  {
    what: "Results of your bids (activated MW, cost, per asset)",
    sees: { you: "yes", dso: null, tso: "its own clearing's dispatch, by opaque location only", others: null },
  },
  {
    what: "A run's request, status and market total",
    sees: { you: "yes", dso: null, tso: null, others: "yes, if their bids took part" },
  },
  {
    what: "The grid drawn on the map",
    sees: { you: "only grids in demo mode", dso: "its own grid", tso: "only grids in demo mode", others: "only grids in demo mode" },
  },
];

const COLUMNS: [Who, string][] = [
  ["you", "You"],
  ["dso", "DSO of the grid"],
  ["tso", "TSO"],
  ["others", "Other aggregators"],
];

/** Who sees which part of the bid congestion manager's data (enforced by the server's routes). */
export function WhoSeesWhat() {
  return (
    <details className="card" data-testid="who-sees-what" open>
      <summary>
        <strong>Who sees what</strong> <span className="muted small">— enforced on the server for every request</span>
      </summary>
      <div className="table-wrap" style={{ marginTop: "0.6rem" }}>
        <table className={styles.visibility}>
          <thead>
            <tr>
              <th>Data</th>
              {COLUMNS.map(([k, label]) => (
                <th key={k}>{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((r) => (
              <tr key={r.what}>
                <td>{r.what}</td>
                {COLUMNS.map(([k]) => (
                  <td key={k} className={r.sees[k] ? styles.yes : styles.no}>
                    {r.sees[k] ?? "no"}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
