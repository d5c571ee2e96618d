import type { BidDispatch } from "@/lib/clearing/result";
import type { TsoMarket } from "@/lib/wire/tso";

/** Per grid and owner: how many bids, how much up and down, which prices. */
export interface BidGroupSummary {
  gridId: string;
  owner: string;
  bids: number;
  upMw: number;
  downMw: number;
  minPrice: number;
  maxPrice: number;
}

export function summarizeBids(market: TsoMarket): BidGroupSummary[] {
  const out = new Map<string, BidGroupSummary>();
  for (const g of market.grids) {
    for (const b of g.bids) {
      const key = `${g.gridId}\u0000${b.owner}`;
      const s = out.get(key) ?? { gridId: g.gridId, owner: b.owner, bids: 0, upMw: 0, downMw: 0, minPrice: Infinity, maxPrice: -Infinity };
      s.bids++;
      if (b.volumeMw > 0) s.upMw += b.volumeMw;
      else s.downMw += b.volumeMw;
      s.minPrice = Math.min(s.minPrice, b.priceEurPerMwh);
      s.maxPrice = Math.max(s.maxPrice, b.priceEurPerMwh);
      out.set(key, s);
    }
  }
  return [...out.values()];
}

export type DispatchFilter = "activated" | "all";

/** The dispatch rows to list: activated bids (full, then partial) by cost, or every bid in market order. */
export function dispatchRows(dispatch: BidDispatch[], filter: DispatchFilter): BidDispatch[] {
  if (filter === "all") return dispatch;
  const rank = { full: 0, partial: 1, none: 2 } as const;
  return dispatch.filter((d) => d.state !== "none").sort((a, b) => rank[a.state] - rank[b.state] || b.costEur - a.costEur || a.bidId.localeCompare(b.bidId));
}

/** Counts by state, and activated MW and cost by owner. */
export function dispatchTotals(dispatch: BidDispatch[]) {
  const states = { full: 0, partial: 0, none: 0 };
  const owners = new Map<string, { mw: number; costEur: number; bids: number }>();
  for (const d of dispatch) {
    states[d.state]++;
    if (d.state === "none") continue;
    const o = owners.get(d.owner) ?? { mw: 0, costEur: 0, bids: 0 };
    o.mw += d.activatedMw;
    o.costEur += d.costEur;
    o.bids++;
    owners.set(d.owner, o);
  }
  return { states, owners: [...owners.entries()].map(([owner, o]) => ({ owner, ...o })).sort((a, b) => a.owner.localeCompare(b.owner)) };
}
