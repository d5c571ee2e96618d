import { validateBids, type Bid } from "./bid";
import { decodeOperatingPoints, type DecodedOperatingPoint, type LightModel } from "../sensitivity/light-model";
import { explainInfeasible } from "./infeasible";
import type { BidGroup } from "./milp";
import { prepareClearing, type ClearingProblem, type GridBids } from "./problem";
import { balancedActivations, dispatchResult, emptyResult, offeredMw, type ClearingStatus, type GridClearing, type MarketClearingResult, type ResultHeader } from "./result";
import { solveLazy, type HighsLike, type LazySolution, type SolverLimits } from "./solve";

/** Single-grid view of a clearing (the grid's selected point and injections at top level). */
export interface ClearingResult extends MarketClearingResult, Omit<GridClearing, "gridId" | "totalMw"> {}

export interface ClearingOptions extends SolverLimits {
  reactive?: boolean;
  screen?: boolean;
  /** Decoded operating points, if the caller already has them. */
  decoded?: DecodedOperatingPoint[];
}

/** Rejects a request that is not a number, no bids, invalid bids and bids of unknown groups; returns all bids. */
function checkInput(grids: GridBids[], requestMw: number, groups: BidGroup[] | undefined): Bid[] {
  if (!Number.isFinite(requestMw)) throw new Error(`the requested balancing power must be a number, got ${requestMw}`);
  const allBids = grids.flatMap((g) => g.bids);
  if (allBids.length === 0) throw new Error("no bids to clear");
  validateBids(allBids);
  for (const g of grids) validateBids(g.bids, new Set(g.lightModel.locations));
  const groupIds = new Set((groups ?? []).map((x) => x.id));
  for (const b of allBids) {
    if (b.groupId && !groupIds.has(b.groupId)) throw new Error(`bid ${b.id}: unknown group '${b.groupId}'`);
  }
  return allBids;
}

function solveStatus(solved: LazySolution): ClearingStatus {
  if (solved.y !== null) return "optimal";
  return solved.res.Status === "Infeasible" || solved.res.Status === "Primal infeasible or unbounded" ? "infeasible" : "error";
}

/**
 * Clear bids on one or more DSO grids against their light models: the MILP of
 * [P004] eq. 11-14 per grid with one shared balance, solved by HiGHS. With an
 * infeasible request, a second solve finds the largest deliverable amount.
 */
export function clearMarket(highs: HighsLike, grids: GridBids[], requestMw: number, opts: ClearingOptions & { groups?: BidGroup[] } = {}): MarketClearingResult {
  const startMs = performance.now();
  const allBids = checkInput(grids, requestMw, opts.groups);
  const decoded = grids.map((g) => g.decoded ?? decodeOperatingPoints(g.lightModel));
  const prepare = (maximizeDelivery?: 1 | -1): ClearingProblem[] =>
    grids.map((g, k) => prepareClearing(g.lightModel, decoded[k], g.bids, requestMw, { reactive: opts.reactive, screen: opts.screen, maximizeDelivery }));
  const problems = prepare();
  const solved = solveLazy(highs, problems, { requestMw, groups: opts.groups }, opts);
  const offered = offeredMw(allBids);
  const head: ResultHeader = { status: solveStatus(solved), requestMw, ...offered, stats: { ...solved.model.stats, lazyRounds: solved.rounds }, startMs };
  if (head.status === "infeasible") {
    const extreme = (dir: 1 | -1) => solveLazy(highs, prepare(dir), { requestMw, maximizeDelivery: dir, groups: opts.groups }, opts);
    const { message, extra } = explainInfeasible(extreme, requestMw, offered);
    return emptyResult(grids, head, message, extra);
  }
  if (head.status === "error" || !solved.y) return emptyResult(grids, head, `the solver stopped without a solution: ${solved.res.Status}`);
  const ys = balancedActivations(grids, solved.y, requestMw);
  return dispatchResult(grids, problems, decoded, { ys, selected: solved.selected }, head);
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
