import { validateBids, type Bid } from "../market/bids";
import { decodeOperatingPoints, type DecodedOperatingPoint, type LightModel } from "../sensitivity/light-model";
import {
  isViolated,
  limitRowValue,
  prepareClearing,
  writeClearingLp,
  type ClearingProblem,
  type LimitRow,
  type MilpModel,
} from "./milp";

/** The part of the `highs` package the clearing uses (Node and Web Worker alike). */
export interface HighsLike {
  solve(lp: string, options?: Record<string, string | number | boolean>): HighsResult;
}
export interface HighsResult {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, { Primal?: number }>;
}

export type ClearingStatus = "optimal" | "infeasible" | "time_limit" | "error";

export interface BidDispatch {
  bidId: string;
  owner: string;
  location: string;
  volumeMw: number;
  priceEurPerMwh: number;
  activatedMw: number;
  /** activatedMw / volumeMw, in [0, 1]. */
  fraction: number;
  state: "full" | "partial" | "none";
  /** Price × activated volume for one hour of delivery (€). */
  costEur: number;
}

export interface ClearingResult {
  status: ClearingStatus;
  message: string;
  requestMw: number;
  objectiveEur: number | null;
  selectedOperatingPoint: string | null;
  selectedIndex: number;
  dispatch: BidDispatch[];
  totalMw: number;
  /** Activated P and Q per light-model location (MW, MVAr), in the light model's order. */
  locationMw: Float64Array;
  locationMvar: Float64Array;
  /** With an infeasible request: the largest amount deliverable without congestion. */
  maxDeliverableMw?: number;
  offeredUpMw: number;
  offeredDownMw: number;
  stats: MilpModel["stats"] & { lazyRounds: number };
  solveMs: number;
}

export interface ClearingOptions {
  reactive?: boolean;
  screen?: boolean;
  mipRelGap?: number;
  timeLimitS?: number;
  /** Decoded operating points, if the caller already has them. */
  decoded?: DecodedOperatingPoint[];
}

const ZERO = 1e-9;

function solverOptions(opts: ClearingOptions): Record<string, string | number | boolean> {
  return {
    output_flag: false,
    mip_rel_gap: opts.mipRelGap ?? 1e-7,
    time_limit: opts.timeLimitS ?? 120,
    random_seed: 0,
    threads: 1,
  };
}

function statusOf(s: string, hasSolution: boolean): ClearingStatus {
  if (s === "Optimal") return "optimal";
  if (s === "Infeasible" || s === "Primal infeasible or unbounded") return "infeasible";
  if (s === "Time limit reached" && hasSolution) return "time_limit";
  return "error";
}

/** Activation per light-model location (P and Q) of a bid-level activation. */
function locationActivation(p: ClearingProblem, y: ArrayLike<number>): { mw: Float64Array; mvar: Float64Array } {
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

/** Merit-order activation ignoring the grid: where the initial lazy rows are looked for. */
function meritOrder(p: ClearingProblem): Float64Array {
  const y = new Float64Array(p.bids.length);
  const sense = p.maximizeDelivery ?? (p.requestMw >= 0 ? 1 : -1);
  const order = p.bids
    .map((b, j) => ({ b, j }))
    .filter(({ b }) => Math.sign(b.volumeMw) === sense)
    .sort((a, b) => a.b.priceEurPerMwh - b.b.priceEurPerMwh || a.j - b.j);
  let rest = p.maximizeDelivery ? Infinity : Math.abs(p.requestMw);
  for (const { b, j } of order) {
    if (rest <= 0) break;
    const step = Math.min(Math.abs(b.volumeMw), rest);
    y[j] = sense * step;
    rest -= step;
  }
  return y;
}

/**
 * Solve with lazily added limit rows: start with the rows violated by the merit-order
 * activation at any operating point, then repeatedly add the rows of the selected
 * point that the solution violates. When none is violated, the solution satisfies
 * every row of its point (rows of unselected points hold trivially at b_i = 0), so it
 * is optimal for the full problem. Exact, and the LP stays small.
 */
function solveLazy(highs: HighsLike, p: ClearingProblem, opts: ClearingOptions) {
  const active: LimitRow[] = [];
  const inLp = new Set<LimitRow>();
  const y0 = meritOrder(p);
  const a0 = locationActivation(p, y0);
  for (const r of p.candidates) {
    if (isViolated(r, limitRowValue(p, r, a0.mw, a0.mvar))) {
      active.push(r);
      inLp.add(r);
    }
  }
  for (let round = 1; ; round++) {
    const model = writeClearingLp(p, active);
    const res = highs.solve(model.lp, solverOptions(opts));
    const y = model.yName.map((n) => res.Columns[n]?.Primal);
    const hasSolution = y.every((v) => typeof v === "number");
    if (res.Status !== "Optimal" || !hasSolution) return { res, model, rounds: round, y: null, selected: -1 };
    const yy = y as number[];
    const selected = model.bName.findIndex((n) => (res.Columns[n]?.Primal ?? 0) > 0.5);
    const act = locationActivation(p, yy);
    let added = 0;
    for (const r of p.candidates) {
      if (r.op !== selected || inLp.has(r)) continue;
      if (isViolated(r, limitRowValue(p, r, act.mw, act.mvar))) {
        active.push(r);
        inLp.add(r);
        added++;
      }
    }
    if (added === 0 || round >= 100) return { res, model, rounds: round, y: yy, selected };
  }
}

/**
 * Clear the bids against a light model: the MILP of eq. (11)-(14) with HiGHS.
 * With an infeasible request, a second solve finds the largest deliverable amount.
 */
export function clearBids(
  highs: HighsLike,
  lm: LightModel,
  bids: Bid[],
  requestMw: number,
  opts: ClearingOptions = {},
): ClearingResult {
  const t0 = performance.now();
  if (!Number.isFinite(requestMw)) throw new Error(`the requested balancing power must be a number, got ${requestMw}`);
  if (bids.length === 0) throw new Error("no bids to clear");
  validateBids(bids, new Set(lm.locations));
  const ops = opts.decoded ?? decodeOperatingPoints(lm);
  const offeredUpMw = bids.reduce((s, b) => s + Math.max(0, b.volumeMw), 0);
  const offeredDownMw = bids.reduce((s, b) => s + Math.min(0, b.volumeMw), 0);
  const problem = prepareClearing(lm, ops, bids, requestMw, { reactive: opts.reactive, screen: opts.screen });
  const solved = solveLazy(highs, problem, opts);
  const { res, model } = solved;
  const status = statusOf(res.Status, solved.y !== null);
  const stats = { ...model.stats, lazyRounds: solved.rounds };
  const empty = (message: string, extra: Partial<ClearingResult> = {}): ClearingResult => ({
    status,
    message,
    requestMw,
    objectiveEur: null,
    selectedOperatingPoint: null,
    selectedIndex: -1,
    dispatch: bids.map((b) => ({
      bidId: b.id,
      owner: b.owner,
      location: b.location,
      volumeMw: b.volumeMw,
      priceEurPerMwh: b.priceEurPerMwh,
      activatedMw: 0,
      fraction: 0,
      state: "none",
      costEur: 0,
    })),
    totalMw: 0,
    locationMw: new Float64Array(lm.locations.length),
    locationMvar: new Float64Array(lm.locations.length),
    offeredUpMw,
    offeredDownMw,
    stats,
    solveMs: performance.now() - t0,
    ...extra,
  });

  if (status === "infeasible") {
    const sense: 1 | -1 = requestMw >= 0 ? 1 : -1;
    const fallback = prepareClearing(lm, ops, bids, requestMw, { reactive: opts.reactive, screen: opts.screen, maximizeDelivery: sense });
    const r2 = solveLazy(highs, fallback, opts);
    const dir = sense > 0 ? "upward" : "downward";
    if (!r2.y) {
      return empty(
        `infeasible: even without activating any bid the grid violates its limits at every operating point (${r2.res.Status}); no ${dir} balancing power can be delivered without congestion`,
        { maxDeliverableMw: 0 },
      );
    }
    const maxMw = r2.y.reduce((acc, v) => acc + v, 0);
    const offered = sense > 0 ? offeredUpMw : offeredDownMw;
    const why =
      Math.abs(requestMw) > Math.abs(offered) + 1e-9
        ? `the bids offer only ${offered.toFixed(3)} MW ${dir}`
        : `activating more would congest the distribution grid (offered ${offered.toFixed(3)} MW ${dir})`;
    return empty(
      `infeasible: ${requestMw} MW cannot be delivered — ${why}; the largest deliverable amount without congestion is ${maxMw.toFixed(3)} MW`,
      { maxDeliverableMw: maxMw },
    );
  }
  if (status === "error" || !solved.y) {
    return empty(`the solver stopped without a solution: ${res.Status}`);
  }
  const solution = solved.y;
  const selectedIndex = solved.selected;
  const locIndex = new Map(lm.locations.map((id, k) => [id, k]));
  const locationMw = new Float64Array(lm.locations.length);
  const locationMvar = new Float64Array(lm.locations.length);
  let total = 0;
  let cost = 0;
  const dispatch: BidDispatch[] = bids.map((b, j) => {
    let y = solution[j];
    if (Math.abs(y) < ZERO) y = 0;
    // Clip solver noise at the bounds.
    if (b.volumeMw > 0) y = Math.min(Math.max(y, 0), b.volumeMw);
    else y = Math.max(Math.min(y, 0), b.volumeMw);
    const fraction = y / b.volumeMw;
    const k = locIndex.get(b.location)!;
    locationMw[k] += y;
    locationMvar[k] += (b.qPerP ?? 0) * y;
    total += y;
    cost += b.priceEurPerMwh * y;
    return {
      bidId: b.id,
      owner: b.owner,
      location: b.location,
      volumeMw: b.volumeMw,
      priceEurPerMwh: b.priceEurPerMwh,
      activatedMw: y,
      fraction,
      state: fraction >= 1 - 1e-9 ? "full" : fraction <= 1e-9 ? "none" : "partial",
      costEur: b.priceEurPerMwh * y,
    };
  });
  return {
    status,
    message:
      status === "optimal"
        ? `optimal: ${total.toFixed(6)} MW activated at ${cost.toFixed(2)} € using the linearization at '${ops[selectedIndex]?.label ?? "?"}'`
        : `time limit reached; best solution found: ${total.toFixed(6)} MW at ${cost.toFixed(2)} €`,
    requestMw,
    objectiveEur: cost,
    selectedOperatingPoint: ops[selectedIndex]?.id ?? null,
    selectedIndex,
    dispatch,
    totalMw: total,
    locationMw,
    locationMvar,
    offeredUpMw,
    offeredDownMw,
    stats,
    solveMs: performance.now() - t0,
  };
}
