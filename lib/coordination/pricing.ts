import type { Point } from "../regions/polygon";
import type { RegionTask, TaskOutcome } from "../regions/task";
import { fitQuadraticCost } from "./representation";

/**
 * Pricing an exact PQ region (paper 000 section IV-A): the DSO's least cost at fixed exchange
 * by AC-OPF at 49 points inside the region, and the quadratic fitted to them. Split from
 * priceRegion (represent.ts) so that the page can spread the tasks over its solver workers.
 */
/** The 49 least-cost AC-OPFs of priceRegion: the centroid and 16 directions at 95 %, 70 % and 40 % of the way to the boundary. */
export function pricingTasks(polygon: Point[], vPu: number): RegionTask[] {
  const n = polygon.length;
  const cx = polygon.reduce((s, p) => s + p[0], 0) / n;
  const cy = polygon.reduce((s, p) => s + p[1], 0) / n;
  const picks = Array.from({ length: Math.min(16, n) }, (_, k) => polygon[Math.floor((k * n) / Math.min(16, n))]);
  const pts: Point[] = [[cx, cy]];
  for (const f of [0.95, 0.7, 0.4]) for (const [x, y] of picks) pts.push([cx + f * (x - cx), cy + f * (y - cy)]);
  return pts.map(([p, q]) => ({ kind: "cost", pMw: p, qMvar: q, vPu }));
}

/** The quadratic fitted to the priced points that found a dispatch (normalized frame). */
export function fitPricedOutcomes(outcomes: TaskOutcome[]) {
  const samples = outcomes.flatMap((o) => (o.point && Number.isFinite(o.point.costPerH) ? [{ p: o.point.pMw, q: o.point.qMvar, cost: o.point.costPerH }] : []));
  return fitQuadraticCost(samples);
}
