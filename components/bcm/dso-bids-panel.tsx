"use client";

import { useEffect, useState } from "react";
import { formatMw } from "@/components/dso/format";
import { fetchDsoBids } from "./api";
import styles from "./bcm.module.css";
import type { DsoGridBids } from "@/lib/wire/bcm";
import { TableHead } from "@/components/ui/table-head";

const PAGE = 50;

type Loaded = { phase: "loading" } | { phase: "failed"; message: string } | { phase: "ready"; grids: DsoGridBids[] };

/** The DSO's view of the market: per-asset bids located in its own grids (no prices, nothing of other grids). */
export function DsoBidsPanel() {
  const [loaded, setLoaded] = useState<Loaded>({ phase: "loading" });
  useEffect(() => {
    fetchDsoBids()
      .then((grids) => setLoaded({ phase: "ready", grids }))
      .catch((e: Error) => setLoaded({ phase: "failed", message: e.message }));
  }, []);

  if (loaded.phase === "loading") return <p className="muted">Loading the bids in your grids…</p>;
  if (loaded.phase === "failed") {
    return (
      <div className="alert alert-error" role="alert">
        {loaded.message}
      </div>
    );
  }
  if (loaded.grids.length === 0) return <p className="muted">You own no grids yet.</p>;
  return (
    <div className="stack">
      {loaded.grids.map((g) => (
        <GridBids key={g.gridId} grid={g} />
      ))}
    </div>
  );
}

function GridBids({ grid }: { grid: DsoGridBids }) {
  const [owner, setOwner] = useState("");
  const [page, setPage] = useState(0);
  const rows = owner ? grid.bids.filter((b) => b.owner === owner) : grid.bids;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <div className="card" data-testid="dso-grid-bids" data-grid-id={grid.gridId}>
      <div className="card-title">
        <h2>{grid.gridName}</h2>
        <span className="muted small" data-testid="dso-grid-bids-summary">
          {grid.bids.length} per-asset bids from {grid.aggregators.length} aggregator{grid.aggregators.length === 1 ? "" : "s"} · {formatMw(grid.upMw, 3)} MW up · {formatMw(grid.downMw, 3)} MW down
        </span>
      </div>
      {!grid.published && <p className="muted">No light model of this grid is published, so the bid congestion manager cannot place bids in it.</p>}
      {grid.bids.length > 0 && (
        <>
          <div className={styles.tabs}>
            <label className="small">
              Aggregator{" "}
              <select
                value={owner}
                onChange={(e) => {
                  setOwner(e.target.value);
                  setPage(0);
                }}
              >
                <option value="">all</option>
                {grid.aggregators.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </label>
          </div>
          <div className="table-wrap">
            <table className="data">
              <TableHead columns={["Asset", "Connection", "Opaque location", { num: "MW" }, "Aggregator", "Aggregated bid"]} />
              <tbody>
                {shown.map((b) => (
                  <tr key={b.assetBidId} data-testid="dso-bid-row">
                    <td className="mono">{b.assetId}</td>
                    <td className="mono">{b.connection}</td>
                    <td className="mono">{b.opaqueLocation}</td>
                    <td className={`num ${b.direction === "up" ? styles.up : styles.down}`}>{formatMw(b.volumeMw, 4)}</td>
                    <td>{b.owner}</td>
                    <td className="mono">{b.aggregatedBidId}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <span>
              page {page + 1} of {pages} ({rows.length} rows)
            </span>
            <button type="button" className="btn btn-small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </div>
        </>
      )}
    </div>
  );
}
