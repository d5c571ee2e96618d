import { describe, expect, it } from "vitest";
import { fuzzImporter } from "../testing/fuzz";
import { parseAggregatedBidsFile, writeAggregatedBidsCsv, writeAggregatedBidsJson, type AggregatedBid } from "./aggregated";
import { BidFormatError, parseBidsFile, writeBidsCsv, writeBidsJson, type Bid } from "./bids";

const BIDS: Bid[] = [
  { id: "b1", owner: "agg-solarpool", location: "L-00a1f3", volumeMw: 0.5, priceEurPerMwh: 40, minActivationMw: 0.1 },
  { id: "b2", owner: "agg-evfleet", location: "L-77c210", volumeMw: -0.3, priceEurPerMwh: 55, indivisible: true, qPerP: 0.2, assetId: "pv-1" },
  { id: "b3", owner: "agg-evfleet", location: "L-77c210", volumeMw: 1.25, priceEurPerMwh: -3 },
];
const PORTFOLIO: AggregatedBid[] = [
  {
    id: "P1",
    owner: "agg-solarpool",
    direction: "up",
    volumeMw: 1,
    priceEurPerMwh: 50,
    minActivationMw: 0.2,
    assets: [
      { assetId: "a1", grid: "Bergwald", share: 0.5 },
      { assetId: "a2", grid: "Bergwald", location: "bus:3", share: 0.5 },
    ],
  },
  { id: "P2", owner: "agg-solarpool", direction: "down", volumeMw: -0.4, priceEurPerMwh: 30, indivisible: true, assets: [{ assetId: "a3", grid: "g-2", volumeMw: -0.4 }] },
];
const TOKENS = [
  "id",
  "owner",
  "location",
  "volumeMW",
  "priceEURperMWh",
  "bidId",
  "direction",
  "totalMW",
  "assetId",
  "grid",
  "share",
  "up",
  "down",
  ",",
  "\n",
  '"',
  "'=1+1",
  "1e400",
  "-0",
  "#",
  "{",
  "}",
  "[",
  "]",
  '"bids":',
  '"aggregatedBids":',
  "true",
];
const isTyped = (e: unknown) => e instanceof BidFormatError;

fuzzImporter(
  { name: "bids CSV/JSON (parseBidsFile)", parse: (t) => parseBidsFile("bids", t), isTyped },
  { corpus: "bids", seeds: () => [writeBidsCsv(BIDS), writeBidsJson(BIDS)], tokens: TOKENS, mutatedRuns: 1000, randomRuns: 500 },
  { describe, it, expect },
);
fuzzImporter(
  { name: "portfolio CSV/JSON (parseAggregatedBidsFile)", parse: (t) => parseAggregatedBidsFile("portfolio", t), isTyped },
  { corpus: "portfolio", seeds: () => [writeAggregatedBidsCsv(PORTFOLIO), writeAggregatedBidsJson(PORTFOLIO)], tokens: TOKENS, mutatedRuns: 1000, randomRuns: 500 },
  { describe, it, expect },
);
