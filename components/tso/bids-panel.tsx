"use client";

import { useMemo, useState } from "react";
import { BidCells, BidHeadCells } from "./bid-cells";
import { summarizeBids } from "./dispatch-rows";
import { Pager } from "./pager";
import type { TsoMarket } from "@/lib/wire/tso";
import { TableHead } from "@/components/ui/table-head";

const PAGE = 25;

/** The bids after the bid congestion manager: per grid and aggregator, and one by one at their opaque locations. */
export function BidsPanel({ market, gridNames }: { market: TsoMarket; gridNames: Map<string, string> }) {
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState(false);
  const summary = useMemo(() => summarizeBids(market), [market]);
  const all = useMemo(() => market.grids.flatMap((g) => g.bids), [market]);
  const total = summary.reduce((s, r) => ({ up: s.up + r.upMw, down: s.down + r.downMw }), { up: 0, down: 0 });
  return (
    <>
      <p className="muted small" data-testid="tso-bid-count">
        {all.length} bids at opaque locations ({total.up.toFixed(3)} MW upward, {total.down.toFixed(3)} MW downward offered), {market.groups.length} groups with a joint minimum or all-or-nothing
        condition.
      </p>
      <div className="table-wrap">
        <table className="data" data-testid="tso-bid-summary">
          <TableHead columns={["Grid", "Aggregator", { num: "Bids" }, { num: "Up (MW)" }, { num: "Down (MW)" }, { num: "Price (€/MWh)" }]} />
          <tbody>
            {summary.map((s) => (
              <tr key={`${s.gridId}-${s.owner}`}>
                <td>{gridNames.get(s.gridId) ?? s.gridId}</td>
                <td>{s.owner}</td>
                <td className="num">{s.bids}</td>
                <td className="num">{s.upMw.toFixed(3)}</td>
                <td className="num">{s.downMw.toFixed(3)}</td>
                <td className="num">
                  {s.minPrice.toFixed(2)} – {s.maxPrice.toFixed(2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="btn btn-small" onClick={() => setOpen(!open)} aria-expanded={open} style={{ marginTop: "0.5rem" }}>
        {open ? "Hide the single bids" : "Show the single bids"}
      </button>
      {open && (
        <>
          <div className="table-wrap">
            <table className="data" data-testid="tso-bid-table">
              <thead>
                <tr>
                  <BidHeadCells volume="Volume" />
                  <th>Conditions</th>
                </tr>
              </thead>
              <tbody>
                {all.slice(page * PAGE, (page + 1) * PAGE).map((b) => (
                  <tr key={`${b.gridId}-${b.id}`}>
                    <BidCells {...b} grid={gridNames.get(b.gridId) ?? b.gridId} />
                    <td className="small">
                      {[b.minActivationMw ? `min ${b.minActivationMw} MW` : "", b.indivisible ? "all or nothing" : "", b.groupId ? `group ${b.groupId}` : ""].filter(Boolean).join(", ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE} total={all.length} onPage={setPage} />
        </>
      )}
    </>
  );
}
