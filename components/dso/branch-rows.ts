import type { PowerFlowPayload } from "@/solver-worker/protocol";

type Branches = PowerFlowPayload["branches"];

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

/** One table row, built only for the rows on screen (large grids have tens of thousands). */
export function branchRow(br: Branches, l: number): BranchRow {
  return {
    index: l,
    id: br.ids[l],
    name: br.names[l],
    from: br.from[l],
    to: br.to[l],
    inService: br.inService[l] === 1,
    pFromMw: br.pFromMw[l],
    qFromMvar: br.qFromMvar[l],
    loadingPct: br.loadingPct[l],
    lossKw: br.lossPMw[l] * 1000,
    lossKvar: br.lossQMvar[l] * 1000,
  };
}

function sortValues(br: Branches, key: Exclude<BranchSortKey, "id">): Float64Array {
  const n = br.ids.length;
  const v = new Float64Array(n);
  for (let l = 0; l < n; l++) v[l] = key === "loading" ? Math.abs(br.loadingPct[l]) : key === "loss" ? br.lossPMw[l] : Math.abs(br.pFromMw[l]);
  return v;
}

/**
 * Branch positions in table order, sorted by a column: magnitudes for signed
 * quantities (loading, flow). Branches without a value (unrated ones, for loading)
 * go last in both directions; ties keep file order.
 */
export function sortBranchIndices(br: Branches, key: BranchSortKey, dir: SortDir): Int32Array {
  const n = br.ids.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const sign = dir === "asc" ? 1 : -1;
  if (key === "id") {
    const collator = new Intl.Collator("en", { numeric: true });
    return order.sort((a, b) => sign * collator.compare(br.ids[a], br.ids[b]) || a - b);
  }
  const v = sortValues(br, key);
  return order.sort((a, b) => {
    const na = Number.isNaN(v[a]);
    const nb = Number.isNaN(v[b]);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return sign * (v[a] - v[b]) || a - b;
  });
}
