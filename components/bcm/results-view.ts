import type { AggregatedResult } from "@/lib/market";

export type ActivationState = "full" | "partial" | "none";

const EPS = 1e-9;

/** Whether an offered volume was activated fully, partly or not at all (signs as in the bid). */
export function activationState(offeredMw: number, activatedMw: number): ActivationState {
  if (Math.abs(activatedMw) < EPS) return "none";
  return Math.abs(activatedMw) >= Math.abs(offeredMw) - EPS ? "full" : "partial";
}

export interface ResultRow {
  result: AggregatedResult;
  state: ActivationState;
  /** Assets with a non-zero activation. */
  activatedAssets: number;
}

export type ResultFilter = "all" | "activated";

/**
 * Rows of the results table: activated bids first (by activated MW, largest first),
 * then the rest in their upload order; `activated` keeps only bids with activation.
 */
export function resultRows(results: AggregatedResult[], filter: ResultFilter = "all"): ResultRow[] {
  const rows = results.map((result, k) => ({
    k,
    row: { result, state: activationState(result.offeredMw, result.activatedMw), activatedAssets: result.assets.filter((a) => Math.abs(a.activatedMw) >= EPS).length },
  }));
  const kept = filter === "activated" ? rows.filter((r) => r.row.state !== "none") : rows;
  return kept.sort((a, b) => Math.abs(b.row.result.activatedMw) - Math.abs(a.row.result.activatedMw) || a.k - b.k).map((r) => r.row);
}

/** Largest gap between an aggregated bid's activated total and the sum over its assets (MW); 0 when conserved. */
export function conservationGapMw(results: AggregatedResult[]): number {
  let gap = 0;
  for (const r of results) {
    let sum = 0;
    for (const a of r.assets) sum += a.activatedMw;
    gap = Math.max(gap, Math.abs(sum - r.activatedMw));
  }
  return gap;
}
