import type { Bid } from "./bid";
import type { DecodedOperatingPoint } from "../sensitivity/light-model";
import type { MilpModel } from "./milp";
import type { ClearingProblem, GridBids } from "./problem";
import { locationActivation } from "./solve";

/** The result of a clearing as the TSO sees it: the dispatch per bid and per grid, from the solver's activations. */

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

/** What every result of one clearing reports, whatever its outcome; `startMs` is when the clearing began (performance.now()). */
export interface ResultHeader {
  status: ClearingStatus;
  requestMw: number;
  offeredUpMw: number;
  offeredDownMw: number;
  stats: MarketClearingResult["stats"];
  startMs: number;
}

const ZERO = 1e-9;

type Activation = Pick<BidDispatch, "activatedMw" | "fraction" | "state" | "costEur">;

const NOT_ACTIVATED: Activation = { activatedMw: 0, fraction: 0, state: "none", costEur: 0 };

function bidDispatch(gridId: string, b: Bid, activation: Activation): BidDispatch {
  return { bidId: b.id, owner: b.owner, location: b.location, gridId, volumeMw: b.volumeMw, priceEurPerMwh: b.priceEurPerMwh, ...activation };
}

/** The upward (>= 0) and downward (<= 0) volume offered by the bids. */
export function offeredMw(bids: Bid[]): { offeredUpMw: number; offeredDownMw: number } {
  return {
    offeredUpMw: bids.reduce((s, b) => s + Math.max(0, b.volumeMw), 0),
    offeredDownMw: bids.reduce((s, b) => s + Math.min(0, b.volumeMw), 0),
  };
}

/** A result without activation (infeasible request, or no solution), with its message and extra fields. */
export function emptyResult(grids: GridBids[], head: ResultHeader, message: string, extra: Partial<MarketClearingResult> = {}): MarketClearingResult {
  return {
    status: head.status,
    message,
    requestMw: head.requestMw,
    objectiveEur: null,
    dispatch: grids.flatMap((g) => g.bids.map((b) => bidDispatch(g.gridId, b, NOT_ACTIVATED))),
    totalMw: 0,
    grids: grids.map((g) => ({
      gridId: g.gridId,
      selectedOperatingPoint: null,
      selectedIndex: -1,
      locationMw: new Float64Array(g.lightModel.locations.length),
      locationMvar: new Float64Array(g.lightModel.locations.length),
      totalMw: 0,
    })),
    offeredUpMw: head.offeredUpMw,
    offeredDownMw: head.offeredDownMw,
    stats: head.stats,
    solveMs: performance.now() - head.startMs,
    ...extra,
  };
}

/**
 * The solver's activations snapped to the bids' bounds, with the balance residual
 * (<= HiGHS's feasibility tolerance) put on a partly activated bid, so Σ y = P_E holds exactly.
 */
export function balancedActivations(grids: GridBids[], y: number[][], requestMw: number): number[][] {
  const ys = grids.map((g, k) =>
    y[k].map((v, j) => {
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
  return ys;
}

/** The optimal result: dispatch per bid, activation per grid at its selected operating point, total and cost. */
export function dispatchResult(
  grids: GridBids[],
  problems: ClearingProblem[],
  decoded: DecodedOperatingPoint[][],
  solution: { ys: number[][]; selected: number[] },
  head: ResultHeader,
): MarketClearingResult {
  let total = 0;
  let cost = 0;
  const dispatch: BidDispatch[] = [];
  const gridResults: GridClearing[] = grids.map((g, k) => {
    const y = solution.ys[k];
    const act = locationActivation(problems[k], y);
    let gridTotal = 0;
    g.bids.forEach((b, j) => {
      const fraction = y[j] / b.volumeMw;
      gridTotal += y[j];
      cost += b.priceEurPerMwh * y[j];
      dispatch.push(
        bidDispatch(g.gridId, b, {
          activatedMw: y[j],
          fraction,
          state: fraction >= 1 - 1e-9 ? "full" : fraction <= 1e-9 ? "none" : "partial",
          costEur: b.priceEurPerMwh * y[j],
        }),
      );
    });
    total += gridTotal;
    const sel = solution.selected[k];
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
    status: head.status,
    message: `optimal: ${total.toFixed(6)} MW activated at ${cost.toFixed(2)} € using the linearization at ${labels.map((l) => `'${l}'`).join(", ")}`,
    requestMw: head.requestMw,
    objectiveEur: cost,
    dispatch,
    totalMw: total,
    grids: gridResults,
    offeredUpMw: head.offeredUpMw,
    offeredDownMw: head.offeredDownMw,
    stats: head.stats,
    solveMs: performance.now() - head.startMs,
  };
}
