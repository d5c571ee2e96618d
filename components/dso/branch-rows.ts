import type { PowerFlowPayload } from "@/solver-worker/protocol";

export interface BranchRow {
  index: number;
  id: string;
  name: string | null;
  from: number;
  to: number;
  inService: boolean;
  pFromMw: number;
  qFromMvar: number;
  /** Signed % of rateA; NaN when the branch has no rating. */
  loadingPct: number;
  lossKw: number;
  lossKvar: number;
}

export type BranchSortKey = "loading" | "loss" | "flow" | "id";
export type SortDir = "asc" | "desc";

export function buildBranchRows(br: PowerFlowPayload["branches"]): BranchRow[] {
  return br.ids.map((id, l) => ({
    index: l,
    id,
    name: br.names[l],
    from: br.from[l],
    to: br.to[l],
    inService: br.inService[l] === 1,
    pFromMw: br.pFromMw[l],
    qFromMvar: br.qFromMvar[l],
    loadingPct: br.loadingPct[l],
    lossKw: br.lossPMw[l] * 1000,
    lossKvar: br.lossQMvar[l] * 1000,
  }));
}

const VALUE: Record<Exclude<BranchSortKey, "id">, (r: BranchRow) => number> = {
  loading: (r) => Math.abs(r.loadingPct),
  loss: (r) => r.lossKw,
  flow: (r) => Math.abs(r.pFromMw),
};

/**
 * Rows sorted by a column; magnitudes for signed quantities (loading, flow). Rows
 * without a value (unrated branches for loading) go last in both directions; ties
 * keep file order.
 */
export function sortBranchRows(rows: readonly BranchRow[], key: BranchSortKey, dir: SortDir): BranchRow[] {
  const sign = dir === "asc" ? 1 : -1;
  if (key === "id") {
    return [...rows].sort((a, b) => sign * a.id.localeCompare(b.id, "en", { numeric: true }) || a.index - b.index);
  }
  const value = VALUE[key];
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na || nb) return na === nb ? a.index - b.index : na ? 1 : -1;
    return sign * (va - vb) || a.index - b.index;
  });
}
