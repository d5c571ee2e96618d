import { writeMarketLp, type BidGroup, type MilpModel } from "./milp";
import { isViolated, limitRowValue, type ClearingProblem, type LimitRow } from "./problem";

/** The part of the `highs` package the clearing uses (Node and Web Worker alike). */
export interface HighsLike {
  solve(lp: string, options?: Record<string, string | number | boolean>): HighsResult;
}
export interface HighsResult {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, { Primal?: number }>;
}

/** HiGHS' MIP gap and time limit for one solve. */
export interface SolverLimits {
  mipRelGap?: number;
  timeLimitS?: number;
}

/** What is cleared: the balance P_E, or (maximizeDelivery) the largest total in one direction; and the bid groups. */
export interface MarketTarget {
  requestMw: number;
  maximizeDelivery?: 1 | -1;
  groups?: BidGroup[];
}

/** The last solve of the lazy loop: activations per grid (null without a solution) and each grid's selected point. */
export interface LazySolution {
  res: HighsResult;
  model: MilpModel & { gridB: string[][]; gridY: string[][] };
  rounds: number;
  y: number[][] | null;
  selected: number[];
}

function solverOptions(opts: SolverLimits): Record<string, string | number | boolean> {
  return {
    output_flag: false,
    mip_rel_gap: opts.mipRelGap ?? 1e-7,
    time_limit: opts.timeLimitS ?? 120,
    random_seed: 0,
    threads: 1,
  };
}

/** Activation per light-model location (P and Q) of a bid-level activation. */
export function locationActivation(p: ClearingProblem, y: ArrayLike<number>): { mw: Float64Array; mvar: Float64Array } {
  const n = p.lm.locations.length;
  const mw = new Float64Array(n);
  const mvar = new Float64Array(n);
  p.bidsAt.forEach((list, s) => {
    const k = p.bidLoc[s];
    for (const j of list) {
      mw[k] += y[j];
      mvar[k] += (p.bids[j].qPerP ?? 0) * y[j];
    }
  });
  return { mw, mvar };
}

/** Merit-order activation ignoring the grids: where the initial lazy rows are looked for. */
function meritOrder(problems: ClearingProblem[], requestMw: number, maximize?: 1 | -1): Float64Array[] {
  const y = problems.map((p) => new Float64Array(p.bids.length));
  const sense = maximize ?? (requestMw >= 0 ? 1 : -1);
  const all = problems.flatMap((p, g) => p.bids.map((b, j) => ({ b, g, j })));
  const order = all.filter(({ b }) => Math.sign(b.volumeMw) === sense).sort((a, b) => a.b.priceEurPerMwh - b.b.priceEurPerMwh);
  let rest = maximize ? Infinity : Math.abs(requestMw);
  for (const { b, g, j } of order) {
    if (rest <= 0) break;
    const step = Math.min(Math.abs(b.volumeMw), rest);
    y[g][j] = sense * step;
    rest -= step;
  }
  return y;
}

/**
 * Solve with lazily added limit rows: start with the rows violated by the merit-order
 * activation at any operating point, then repeatedly add the rows of each grid's
 * selected point that the solution violates. When none is violated, the solution
 * satisfies every row of its points (rows of unselected points hold at b_i = 0 by
 * their big-M), so it is optimal for the full problem. Exact, and the LP stays small.
 */
export function solveLazy(highs: HighsLike, problems: ClearingProblem[], market: MarketTarget, opts: SolverLimits): LazySolution {
  const active: LimitRow[][] = problems.map(() => []);
  const inLp = problems.map(() => new Set<LimitRow>());
  /** Adds grid g's candidate rows (of point `op` only, if given) that activation y violates; returns how many. */
  const addViolated = (g: number, y: ArrayLike<number>, op?: number): number => {
    const p = problems[g];
    const act = locationActivation(p, y);
    let added = 0;
    for (const r of p.candidates) {
      if ((op !== undefined && r.op !== op) || inLp[g].has(r)) continue;
      if (isViolated(r, limitRowValue(p, r, act.mw, act.mvar))) {
        active[g].push(r);
        inLp[g].add(r);
        added++;
      }
    }
    return added;
  };
  const y0 = meritOrder(problems, market.requestMw, market.maximizeDelivery);
  problems.forEach((_, g) => addViolated(g, y0[g]));
  for (let round = 1; ; round++) {
    const model = writeMarketLp(
      problems.map((p, g) => ({ problem: p, rows: active[g] })),
      market,
    );
    const res = highs.solve(model.lp, solverOptions(opts));
    const ys = model.gridY.map((names) => names.map((n) => res.Columns[n]?.Primal));
    const ok = res.Status === "Optimal" && ys.every((list) => list.every((v) => typeof v === "number"));
    if (!ok) return { res, model, rounds: round, y: null, selected: [] };
    const yy = ys as number[][];
    const selected = model.gridB.map((names) => names.findIndex((n) => (res.Columns[n]?.Primal ?? 0) > 0.5));
    let added = 0;
    problems.forEach((_, g) => {
      added += addViolated(g, yy[g], selected[g]);
    });
    if (added === 0 || round >= 100) return { res, model, rounds: round, y: yy, selected };
  }
}
