import "server-only";
import { clearMarket, type ClearingStatus } from "@/lib/clearing";
import { nodeHighs } from "@/lib/clearing/highs-node";
import { reaggregate, type AggregatedResult } from "@/lib/market";
import { ApiError } from "./api-error";
import { rowsFromShared, sidesFromRows, type SharedSideRow } from "./market";
import { buildMarket, type SkippedPortfolio, type StoredPortfolioRow } from "./market-bids";

/**
 * The computing part of a BCM run (lib/server/bcm.ts runBcm), without the database:
 * the published sides and every stored portfolio come in as their stored rows, the
 * stored run goes out. It runs on the worker pool (task "bcm"), so parsing the grids
 * and light models, placing the portfolios and the MILP never hold the request thread.
 */

/** What a BCM run stores (ClearingRun.resultJson, kind "bcm"): everything, for every aggregator. */
export interface StoredBcmRun {
  version: 1;
  message: string;
  maxDeliverableMw: number | null;
  offeredUpMw: number;
  offeredDownMw: number;
  /** Owners of every portfolio on the platform at run time (the ones that may see the run). */
  participants: string[];
  gridNames: Record<string, string>;
  skipped: SkippedPortfolio[];
  aggregatedBids: number;
  assetBids: number;
  results: AggregatedResult[];
  clearMs: number;
  runMs: number;
}

export interface BcmRunInput {
  /** The published models' texts as shared bytes: passed to the worker without a copy, decoded there only when not parsed before. */
  sideRows: SharedSideRow[];
  portfolios: StoredPortfolioRow[];
  requestMw: number;
  /** The aggregator starting the run: it must have a placed portfolio. */
  username: string;
}

export interface BcmRunOutput {
  stored: StoredBcmRun;
  status: ClearingStatus;
  totalMw: number;
  objectiveEur: number | null;
}

export async function computeBcmRun({ sideRows, portfolios, requestMw, username }: BcmRunInput): Promise<BcmRunOutput> {
  const t0 = performance.now();
  const sides = sidesFromRows(rowsFromShared(sideRows));
  const market = buildMarket(portfolios, sides);
  const { skipped } = market;
  if (!market.placed.some((p) => p.owner === username)) {
    const mine = skipped.filter((s) => s.owner === username);
    throw new ApiError(
      "bad_request",
      mine.length
        ? `none of your portfolios can be placed in a published grid: ${mine.map((s) => `${s.portfolio}: ${s.reason}`).join("; ")}`
        : "you have no bids on the platform; upload a portfolio first",
    );
  }
  const accepted = market.aggregated;
  const grids = market.grids.flatMap((g, k) => (g.bids.length ? [{ gridId: g.gridId, lightModel: sides[k].model, bids: g.bids }] : []));
  const highs = await nodeHighs();
  const t1 = performance.now();
  const cleared = clearMarket(highs, grids, requestMw, { groups: market.groups });
  const results = reaggregate(accepted, market.dis, cleared.dispatch);
  const clearMs = performance.now() - t1;
  const stored: StoredBcmRun = {
    version: 1,
    message: cleared.message,
    maxDeliverableMw: cleared.maxDeliverableMw ?? null,
    offeredUpMw: cleared.offeredUpMw,
    offeredDownMw: cleared.offeredDownMw,
    participants: [...new Set([...market.placed.map((p) => p.owner), ...skipped.map((p) => p.owner)])],
    gridNames: Object.fromEntries(sides.map((s) => [s.gridId, s.gridName])),
    skipped,
    aggregatedBids: accepted.length,
    assetBids: grids.reduce((s, g) => s + g.bids.length, 0),
    results,
    clearMs,
    runMs: performance.now() - t0,
  };
  return { stored, status: cleared.status, totalMw: cleared.totalMw, objectiveEur: cleared.objectiveEur };
}
