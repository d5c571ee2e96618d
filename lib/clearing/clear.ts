import { validateBids, type Bid } from "./bid";
import { decodeOperatingPoints, type DecodedOperatingPoint, type LightModel } from "../sensitivity/light-model";
import { isViolated, limitRowValue, prepareClearing, writeMarketLp, type BidGroup, type ClearingProblem, type LimitRow, type MilpModel } from "./milp";

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
  gridId: string;
  volumeMw: number;
  priceEurPerMwh: number;
  activatedMw: number;
  /** activatedMw / volumeMw, in [0, 1]. */
  fraction: number;
  state: "full" | "partial" | "none";
  /** Price × activated volume for one hour of delivery (€). */
  costEur: number;
}

export interface GridClearing {
  gridId: string;
  selectedOperatingPoint: string | null;
  selectedIndex: number;
  /** Activated P and Q per light-model location (MW, MVAr), in the light model's order. */
  locationMw: Float64Array;
  locationMvar: Float64Array;
  totalMw: number;
}

export interface MarketClearingResult {
  status: ClearingStatus;
  message: string;
  requestMw: number;
  objectiveEur: number | null;
  dispatch: BidDispatch[];
  totalMw: number;
  grids: GridClearing[];
  /** With an infeasible request: the largest amount deliverable in the request's direction without congestion (most negative for downward requests). */
  maxDeliverableMw?: number;
  minDeliverableMw?: number;
  deliverableRangeMw?: [number, number];
  offeredUpMw: number;
  offeredDownMw: number;
  stats: MilpModel["stats"] & { lazyRounds: number };
  solveMs: number;
}

/** Single-grid view of a clearing (the grid's selected point and injections at top level). */
export interface ClearingResult extends MarketClearingResult, Omit<GridClearing, "gridId" | "totalMw"> {}

export interface ClearingOptions {
  reactive?: boolean;
  screen?: boolean;
  mipRelGap?: number;
  timeLimitS?: number;
  /** Decoded operating points, if the caller already has them. */
  decoded?: DecodedOperatingPoint[];
}

export interface GridBids {
  gridId: string;
  lightModel: LightModel;
  bids: Bid[];
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
function solveLazy(highs: HighsLike, problems: ClearingProblem[], market: { requestMw: number; maximizeDelivery?: 1 | -1; groups?: BidGroup[] }, opts: ClearingOptions) {
  const active: LimitRow[][] = problems.map(() => []);
  const inLp = problems.map(() => new Set<LimitRow>());
  const y0 = meritOrder(problems, market.requestMw, market.maximizeDelivery);
  problems.forEach((p, g) => {
    const a0 = locationActivation(p, y0[g]);
    for (const r of p.candidates) {
      if (isViolated(r, limitRowValue(p, r, a0.mw, a0.mvar))) {
        active[g].push(r);
        inLp[g].add(r);
      }
    }
  });
  for (let round = 1; ; round++) {
    const model = writeMarketLp(
      problems.map((p, g) => ({ problem: p, rows: active[g] })),
      market,
    );
    const res = highs.solve(model.lp, solverOptions(opts));
    const ys = model.gridY.map((names) => names.map((n) => res.Columns[n]?.Primal));
    const ok = res.Status === "Optimal" && ys.every((list) => list.every((v) => typeof v === "number"));
    if (!ok) return { res, model, rounds: round, y: null as number[][] | null, selected: [] as number[] };
    const yy = ys as number[][];
    const selected = model.gridB.map((names) => names.findIndex((n) => (res.Columns[n]?.Primal ?? 0) > 0.5));
    let added = 0;
    problems.forEach((p, g) => {
      const act = locationActivation(p, yy[g]);
      for (const r of p.candidates) {
        if (r.op !== selected[g] || inLp[g].has(r)) continue;
        if (isViolated(r, limitRowValue(p, r, act.mw, act.mvar))) {
          active[g].push(r);
          inLp[g].add(r);
          added++;
        }
      }
    });
    if (added === 0 || round >= 100) return { res, model, rounds: round, y: yy, selected };
  }
}

/**
 * Clear bids on one or more DSO grids against their light models: the MILP of
 * [P004] eq. 11-14 per grid with one shared balance, solved by HiGHS. With an
 * infeasible request, a second solve finds the largest deliverable amount.
 */
export function clearMarket(highs: HighsLike, grids: GridBids[], requestMw: number, opts: ClearingOptions & { groups?: BidGroup[] } = {}): MarketClearingResult {
  const t0 = performance.now();
  if (!Number.isFinite(requestMw)) throw new Error(`the requested balancing power must be a number, got ${requestMw}`);
  const allBids = grids.flatMap((g) => g.bids);
  if (allBids.length === 0) throw new Error("no bids to clear");
  validateBids(allBids);
  for (const g of grids) validateBids(g.bids, new Set(g.lightModel.locations));
  const groupIds = new Set((opts.groups ?? []).map((x) => x.id));
  for (const b of allBids) {
    if (b.groupId && !groupIds.has(b.groupId)) throw new Error(`bid ${b.id}: unknown group '${b.groupId}'`);
  }
  const decoded = grids.map((g) => g.decoded ?? decodeOperatingPoints(g.lightModel));
  const offeredUpMw = allBids.reduce((s, b) => s + Math.max(0, b.volumeMw), 0);
  const offeredDownMw = allBids.reduce((s, b) => s + Math.min(0, b.volumeMw), 0);
  const prepare = (maximizeDelivery?: 1 | -1): ClearingProblem[] =>
    grids.map((g, k) => prepareClearing(g.lightModel, decoded[k], g.bids, requestMw, { reactive: opts.reactive, screen: opts.screen, maximizeDelivery }));
  const problems = prepare();
  const solved = solveLazy(highs, problems, { requestMw, groups: opts.groups }, opts);
  const stats = { ...solved.model.stats, lazyRounds: solved.rounds };
  const status: ClearingStatus = solved.y !== null ? "optimal" : solved.res.Status === "Infeasible" || solved.res.Status === "Primal infeasible or unbounded" ? "infeasible" : "error";
  const none = (message: string, extra: Partial<MarketClearingResult> = {}): MarketClearingResult => ({
    status,
    message,
    requestMw,
    objectiveEur: null,
    dispatch: grids.flatMap((g) =>
      g.bids.map((b) => ({
        bidId: b.id,
        owner: b.owner,
        location: b.location,
        gridId: g.gridId,
        volumeMw: b.volumeMw,
        priceEurPerMwh: b.priceEurPerMwh,
        activatedMw: 0,
        fraction: 0,
        state: "none" as const,
        costEur: 0,
      })),
    ),
    totalMw: 0,
    grids: grids.map((g) => ({
      gridId: g.gridId,
      selectedOperatingPoint: null,
      selectedIndex: -1,
      locationMw: new Float64Array(g.lightModel.locations.length),
      locationMvar: new Float64Array(g.lightModel.locations.length),
      totalMw: 0,
    })),
    offeredUpMw,
    offeredDownMw,
    stats,
    solveMs: performance.now() - t0,
    ...extra,
  });

  if (status === "infeasible") {
    // The range of totals deliverable without congestion. The extreme in the request's
    // direction first; the other only if the request lies short of it.
    const sense: 1 | -1 = requestMw >= 0 ? 1 : -1;
    const extreme = (dir: 1 | -1) => solveLazy(highs, prepare(dir), { requestMw, maximizeDelivery: dir, groups: opts.groups }, opts);
    const first = extreme(sense);
    if (!first.y) {
      return none(
        `infeasible: the distribution grid violates its limits for every activation of the bids at every operating point (${first.res.Status}); no balancing power can be delivered without congestion`,
        { maxDeliverableMw: 0 },
      );
    }
    const firstMw = first.y.flat().reduce((acc, v) => acc + v, 0);
    const beyond = sense > 0 ? requestMw > firstMw : requestMw < firstMw;
    const second = beyond ? null : extreme(sense > 0 ? -1 : 1);
    const otherMw = second?.y ? second.y.flat().reduce((acc, v) => acc + v, 0) : undefined;
    const upMw = sense > 0 ? firstMw : otherMw;
    const downMw = sense > 0 ? otherMw : firstMw;
    const range = upMw !== undefined && downMw !== undefined ? `between ${downMw.toFixed(3)} and ${upMw.toFixed(3)} MW` : "";
    let why: string;
    if (beyond) {
      const offered = sense > 0 ? offeredUpMw : offeredDownMw;
      const dir = sense > 0 ? "upward" : "downward";
      why =
        Math.abs(requestMw) > Math.abs(offered) + 1e-9
          ? `the bids offer only ${offered.toFixed(3)} MW ${dir}`
          : `activating more would congest the distribution grid (offered ${offered.toFixed(3)} MW ${dir})`;
      why += `; the largest ${sense > 0 ? "" : "downward "}deliverable amount without congestion is ${firstMw.toFixed(3)} MW`;
    } else if (otherMw !== undefined && (sense > 0 ? requestMw < otherMw : requestMw > otherMw)) {
      why = `the grid needs at least ${otherMw.toFixed(3)} MW of activation to stay within its limits; the deliverable range is ${range}`;
    } else {
      why = `no combination of the bids' minimum activations and indivisible volumes sums to it; deliverable amounts lie ${range}`;
    }
    return none(`infeasible: ${requestMw} MW cannot be delivered — ${why}`, {
      maxDeliverableMw: firstMw,
      ...(upMw !== undefined && downMw !== undefined ? { minDeliverableMw: downMw, deliverableRangeMw: [downMw, upMw] as [number, number] } : {}),
    });
  }
  if (status === "error" || !solved.y) return none(`the solver stopped without a solution: ${solved.res.Status}`);

  // Snap solver noise to the bounds, then put the balance residual (<= HiGHS's
  // feasibility tolerance) on a partly activated bid, so Σ y = P_E holds exactly.
  const ys = grids.map((g, k) =>
    solved.y![k].map((v, j) => {
      const b = g.bids[j];
      const a = Math.abs(v) < ZERO ? 0 : v;
      return b.volumeMw > 0 ? Math.min(Math.max(a, 0), b.volumeMw) : Math.max(Math.min(a, 0), b.volumeMw);
    }),
  );
  const residual = requestMw - ys.flat().reduce((s, v) => s + v, 0);
  if (residual !== 0) {
    outer: for (let k = 0; k < grids.length; k++) {
      for (let j = 0; j < ys[k].length; j++) {
        const b = grids[k].bids[j];
        const v = ys[k][j] + residual;
        const inside = Math.abs(ys[k][j]) > ZERO && Math.abs(ys[k][j]) < Math.abs(b.volumeMw) - ZERO;
        if (inside && !b.indivisible && !b.groupId && Math.min(0, b.volumeMw) <= v && v <= Math.max(0, b.volumeMw)) {
          ys[k][j] = v;
          break outer;
        }
      }
    }
  }
  let total = 0;
  let cost = 0;
  const dispatch: BidDispatch[] = [];
  const gridResults: GridClearing[] = grids.map((g, k) => {
    const p = problems[k];
    const y = ys[k];
    const act = locationActivation(p, y);
    let gridTotal = 0;
    g.bids.forEach((b, j) => {
      const fraction = y[j] / b.volumeMw;
      gridTotal += y[j];
      cost += b.priceEurPerMwh * y[j];
      dispatch.push({
        bidId: b.id,
        owner: b.owner,
        location: b.location,
        gridId: g.gridId,
        volumeMw: b.volumeMw,
        priceEurPerMwh: b.priceEurPerMwh,
        activatedMw: y[j],
        fraction,
        state: fraction >= 1 - 1e-9 ? "full" : fraction <= 1e-9 ? "none" : "partial",
        costEur: b.priceEurPerMwh * y[j],
      });
    });
    total += gridTotal;
    const sel = solved.selected[k];
    return {
      gridId: g.gridId,
      selectedOperatingPoint: decoded[k][sel]?.id ?? null,
      selectedIndex: sel,
      locationMw: act.mw,
      locationMvar: act.mvar,
      totalMw: gridTotal,
    };
  });
  const labels = gridResults.map((gr, k) => decoded[k][gr.selectedIndex]?.label ?? "?");
  return {
    status,
    message: `optimal: ${total.toFixed(6)} MW activated at ${cost.toFixed(2)} € using the linearization at ${labels.map((l) => `'${l}'`).join(", ")}`,
    requestMw,
    objectiveEur: cost,
    dispatch,
    totalMw: total,
    grids: gridResults,
    offeredUpMw,
    offeredDownMw,
    stats,
    solveMs: performance.now() - t0,
  };
}

/** Clear bids against one light model ([P004]'s setting). */
export function clearBids(highs: HighsLike, lm: LightModel, bids: Bid[], requestMw: number, opts: ClearingOptions & { groups?: BidGroup[] } = {}): ClearingResult {
  const r = clearMarket(highs, [{ gridId: "grid", lightModel: lm, bids, decoded: opts.decoded }], requestMw, opts);
  const g = r.grids[0];
  return {
    ...r,
    selectedOperatingPoint: g.selectedOperatingPoint,
    selectedIndex: g.selectedIndex,
    locationMw: g.locationMw,
    locationMvar: g.locationMvar,
  };
}
