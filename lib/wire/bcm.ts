import type { ClearingStatus } from "@/lib/clearing";
import type { AggregatedResult } from "@/lib/market";

/**
 * What crosses the wire in the bid congestion manager's view (app/api/portfolios, app/api/bcm):
 * portfolio summaries, the split of a portfolio by asset location, runs as one aggregator sees
 * them and the DSO's view of the bids in its grids. Types only, imported by the server
 * (lib/server/bcm.ts, portfolios.ts, portfolio-store.ts) and the browser alike.
 */

export interface PortfolioSummary {
  id: string;
  owner: string;
  name: string;
  fileName: string | null;
  bidCount: number;
  createdAt: string;
}

export interface GridRef {
  id: string;
  name: string;
  /** The DSO lets its grid be drawn on the map for demonstrations. */
  demoMode: boolean;
}

export interface AssetBidView {
  /** Id of the per-asset bid the clearing sees ("<bid>/<asset>", or the bid's own id for a plain bid). */
  assetBidId: string;
  assetId: string;
  gridId: string;
  /** DSO-side connection point, "bus:<n>". */
  connection: string;
  /** The light model's opaque location id: all the TSO learns of where the asset is. */
  opaqueLocation: string;
  volumeMw: number;
  priceEurPerMwh: number;
}

export interface DisaggregatedBidView {
  bidId: string;
  direction: "up" | "down";
  volumeMw: number;
  priceEurPerMwh: number;
  minActivationMw: number | null;
  indivisible: boolean;
  /** Set when the bid's minimum or indivisibility applies jointly to its assets (one group in the MILP). */
  group: string | null;
  assets: AssetBidView[];
}

export type PortfolioDisaggregation =
  | { portfolioId: string; placeable: true; grids: GridRef[]; bids: DisaggregatedBidView[] }
  | { portfolioId: string; placeable: false; problem: string; grids: GridRef[]; bids: [] };

export interface OwnTotals {
  bids: number;
  offeredUpMw: number;
  offeredDownMw: number;
  activatedMw: number;
  costEur: number;
}

/** A BCM run as one aggregator sees it: market-wide status and total, its own figures. */
export interface BcmRunSummary {
  id: string;
  createdAt: string;
  requestMw: number;
  status: ClearingStatus;
  message: string;
  /** Activated over all bids of the platform (= the request when optimal). */
  marketTotalMw: number;
  maxDeliverableMw: number | null;
  startedByYou: boolean;
  clearMs: number;
  runMs: number;
  own: OwnTotals;
  /** Your portfolios the BCM could not place at run time, with the reason. */
  skipped: { portfolio: string; reason: string }[];
}

export interface BcmRunDetail extends BcmRunSummary {
  /** Your aggregated bids' results; each asset's `grid` is the grid's name. */
  results: AggregatedResult[];
}

export interface DsoAssetBid {
  aggregatedBidId: string;
  assetBidId: string;
  owner: string;
  direction: "up" | "down";
  assetId: string;
  connection: string;
  opaqueLocation: string;
  volumeMw: number;
}

export interface DsoGridBids {
  gridId: string;
  gridName: string;
  /** Without a published light model the BCM cannot place bids in the grid. */
  published: boolean;
  bids: DsoAssetBid[];
  upMw: number;
  downMw: number;
  aggregators: string[];
}
