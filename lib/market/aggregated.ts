import { z } from "zod";
import { BID_LIMITS, formatCount } from "../limits";
import { writeCsv } from "../util/csv";
import { BidFormatError, bidCsvFields, cellText, parseBidJsonText, readBidCsvTable } from "./bids";

/**
 * An aggregator's portfolio bid (DigIPlat workflow, provisioning paper section II):
 * one price and direction for a total volume spread over assets in DSO grids. Each
 * asset names its grid and either an FPU id or a connection point ("bus:<n>"), and
 * carries a volume (same sign as the bid: positive up, negative down) or a share of
 * the total. A bid with one asset is a plain bid.
 */
export interface AggregatedAsset {
  assetId: string;
  /**
   * The DSO grid. In a file: the grid's id or its name as published on the platform;
   * stored and cleared: the grid's id (the platform resolves names once, at upload).
   */
  grid: string;
  /** Connection point "bus:<n>"; omitted when assetId is an FPU id of the grid. */
  location?: string;
  volumeMw?: number;
  share?: number;
}

export interface AggregatedBid {
  id: string;
  owner: string;
  direction: "up" | "down";
  /** Total volume, MW: positive for up, negative for down. */
  volumeMw: number;
  priceEurPerMwh: number;
  /** Applies to the total activation of the bid (magnitude, MW). */
  minActivationMw?: number;
  indivisible?: boolean;
  assets: AggregatedAsset[];
}

const SUM_TOL = 1e-6;

/**
 * Aggregated bid ids: letters, digits, '.', '_' and '-', starting with a letter or
 * digit, at most 80 characters. No '/' (the per-asset ids are "<bid>/<asset>", so
 * they cannot collide with another bid's id), no '#', spaces or control characters.
 */
const BID_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const BID_ID_RULE = "letters, digits, '.', '_' and '-' only, starting with a letter or digit, at most 80 characters";

/** Checks the portfolio bids and returns each asset's signed volume (MW). */
export function validateAggregatedBids(bids: AggregatedBid[], where: (i: number) => string = (i) => `aggregated bid ${i + 1}`): number[][] {
  const seen = new Map<string, number>();
  return bids.map((b, i) => {
    const at = `${where(i)} (${cellText(b.id) || "no id"})`;
    if (!b.id) throw new BidFormatError(`${where(i)}: missing id`);
    if (!BID_ID_PATTERN.test(b.id)) throw new BidFormatError(`${where(i)}: bid id ${JSON.stringify(b.id.slice(0, 100))} is not allowed (${BID_ID_RULE})`);
    if (seen.has(b.id)) throw new BidFormatError(`${at}: duplicate bid id '${cellText(b.id)}' (also ${where(seen.get(b.id)!)})`);
    seen.set(b.id, i);
    if (!b.owner) throw new BidFormatError(`${at}: missing owner`);
    if (b.direction !== "up" && b.direction !== "down") throw new BidFormatError(`${at}: direction must be 'up' or 'down'`);
    const sign = b.direction === "up" ? 1 : -1;
    if (!Number.isFinite(b.volumeMw) || b.volumeMw === 0) throw new BidFormatError(`${at}: total volume must be a non-zero number`);
    if (Math.sign(b.volumeMw) !== sign) {
      throw new BidFormatError(`${at}: total volume ${b.volumeMw} MW has the wrong sign for a${sign > 0 ? "n upward" : " downward"} bid`);
    }
    if (!Number.isFinite(b.priceEurPerMwh)) throw new BidFormatError(`${at}: missing or non-numeric price`);
    if (b.minActivationMw !== undefined && (!(b.minActivationMw >= 0) || b.minActivationMw > Math.abs(b.volumeMw) + 1e-12)) {
      throw new BidFormatError(`${at}: minimum activation must lie between 0 and the total ${Math.abs(b.volumeMw)} MW`);
    }
    if (!b.assets?.length) throw new BidFormatError(`${at}: no assets`);
    const ids = new Set<string>();
    const byShare = b.assets.some((a) => a.share !== undefined);
    const byVolume = b.assets.some((a) => a.volumeMw !== undefined);
    if (byShare && byVolume) throw new BidFormatError(`${at}: give every asset either a volume or a share, not both`);
    if (!byShare && !byVolume && b.assets.length > 1) throw new BidFormatError(`${at}: assets need a volume or a share of the total`);
    const volumes = b.assets.map((a, k) => {
      const aat = `${at}, asset ${k + 1} (${cellText(a.assetId) || "no id"})`;
      if (!a.assetId) throw new BidFormatError(`${at}, asset ${k + 1}: missing asset id`);
      if (ids.has(a.assetId)) throw new BidFormatError(`${aat}: asset listed twice in the same bid`);
      ids.add(a.assetId);
      if (!a.grid) throw new BidFormatError(`${aat}: missing grid`);
      if (byShare) {
        if (!(a.share! > 0 && a.share! <= 1)) throw new BidFormatError(`${aat}: share ${a.share} must lie in (0, 1]`);
        return a.share! * b.volumeMw;
      }
      if (!byVolume) return b.volumeMw;
      const v = a.volumeMw!;
      if (!Number.isFinite(v) || v === 0) throw new BidFormatError(`${aat}: volume must be a non-zero number`);
      if (Math.sign(v) !== sign) {
        throw new BidFormatError(`${aat}: volume ${v} MW has the wrong sign for a${sign > 0 ? "n upward" : " downward"} bid`);
      }
      return v;
    });
    if (byShare) {
      const sum = b.assets.reduce((s, a) => s + a.share!, 0);
      if (Math.abs(sum - 1) > SUM_TOL) throw new BidFormatError(`${at}: asset shares add up to ${sum.toFixed(6)}, not 1`);
    } else {
      const sum = volumes.reduce((s, v) => s + v, 0);
      if (Math.abs(sum - b.volumeMw) > SUM_TOL) {
        throw new BidFormatError(`${at}: asset volumes add up to ${sum.toFixed(6)} MW, the bid's total is ${b.volumeMw} MW`);
      }
    }
    return volumes;
  });
}

// ---------------------------------------------------------------------------------
// CSV: one row per asset; rows with the same bidId form one bid.

const AGGREGATED_CSV_COLUMNS = ["bidId", "owner", "direction", "totalMW", "priceEURperMWh", "minActivationMW", "indivisible", "assetId", "grid", "location", "assetMW", "share"] as const;

export function parseAggregatedBidsCsv(text: string, name = "portfolio.csv"): AggregatedBid[] {
  const { header, rows } = readBidCsvTable(text, name, AGGREGATED_CSV_COLUMNS, ["bidId", "owner", "direction", "totalMW", "priceEURperMWh", "assetId", "grid"]);
  const bids = new Map<string, { bid: AggregatedBid; line: number }>();
  for (const row of rows) {
    const { line } = row;
    const { at, get, num, indivisible } = bidCsvFields(header, row, name);
    const id = get("bidId");
    if (!id) throw new BidFormatError(`${at}: missing bidId`);
    const direction = get("direction");
    if (direction !== "up" && direction !== "down") throw new BidFormatError(`${at}: direction '${cellText(direction)}' must be up or down`);
    const indiv = indivisible();
    const fields = {
      owner: get("owner"),
      direction: direction as "up" | "down",
      volumeMw: num("totalMW", true)!,
      priceEurPerMwh: num("priceEURperMWh", true)!,
      minActivationMw: num("minActivationMW", false),
      indivisible: indiv ? true : undefined,
    };
    const asset: AggregatedAsset = { assetId: get("assetId"), grid: get("grid") };
    if (get("location")) asset.location = get("location");
    const av = num("assetMW", false);
    if (av !== undefined) asset.volumeMw = av;
    const sh = num("share", false);
    if (sh !== undefined) asset.share = sh;
    const existing = bids.get(id);
    if (!existing) {
      const bid: AggregatedBid = { id, owner: fields.owner, direction: fields.direction, volumeMw: fields.volumeMw, priceEurPerMwh: fields.priceEurPerMwh, assets: [asset] };
      if (fields.minActivationMw !== undefined) bid.minActivationMw = fields.minActivationMw;
      if (fields.indivisible) bid.indivisible = true;
      bids.set(id, { bid, line });
      continue;
    }
    const b = existing.bid;
    if (b.owner !== fields.owner || b.direction !== fields.direction || b.volumeMw !== fields.volumeMw || b.priceEurPerMwh !== fields.priceEurPerMwh) {
      throw new BidFormatError(`${at}: bid '${cellText(id)}' repeats with a different owner, direction, total or price than on line ${existing.line}`);
    }
    if (b.assets.length >= BID_LIMITS.assetsPerBid)
      throw new BidFormatError(`${at}: bid '${cellText(id)}' has more than ${formatCount(BID_LIMITS.assetsPerBid)} assets; the limit is ${formatCount(BID_LIMITS.assetsPerBid)}`);
    b.assets.push(asset);
  }
  const list = [...bids.values()];
  if (list.length === 0) throw new BidFormatError(`${name}: no bids after the header`);
  validateAggregatedBids(
    list.map((x) => x.bid),
    (i) => `${name} line ${list[i].line}`,
  );
  return list.map((x) => x.bid);
}

export function writeAggregatedBidsCsv(bids: AggregatedBid[]): string {
  return writeCsv(
    AGGREGATED_CSV_COLUMNS,
    bids.flatMap((b) =>
      b.assets.map((a) => [b.id, b.owner, b.direction, b.volumeMw, b.priceEurPerMwh, b.minActivationMw, b.indivisible ? "true" : undefined, a.assetId, a.grid, a.location, a.volumeMw, a.share]),
    ),
  );
}

const assetSchema = z.strictObject({
  assetId: z.string().min(1, "missing asset id"),
  grid: z.string().min(1, "missing grid"),
  location: z.string().optional(),
  volumeMw: z.number().optional(),
  share: z.number().optional(),
});
const aggSchema = z.strictObject({
  id: z.string().min(1, "missing id"),
  owner: z.string().min(1, "missing owner"),
  direction: z.enum(["up", "down"], { error: "direction must be 'up' or 'down'" }),
  volumeMw: z.number({ error: "volumeMw must be a number" }),
  priceEurPerMwh: z.number({ error: "priceEurPerMwh must be a number (missing price?)" }),
  minActivationMw: z.number().optional(),
  indivisible: z.boolean().optional(),
  assets: z.array(assetSchema).max(BID_LIMITS.assetsPerBid, `more than ${formatCount(BID_LIMITS.assetsPerBid)} assets; the limit is ${formatCount(BID_LIMITS.assetsPerBid)}`),
});

export function parseAggregatedBidsJson(text: string, name = "portfolio.json"): AggregatedBid[] {
  const raw = parseBidJsonText(text, name);
  const list = Array.isArray(raw) ? raw : (raw as { aggregatedBids?: unknown })?.aggregatedBids;
  if (!Array.isArray(list)) throw new BidFormatError(`${name}: expected an array or { "aggregatedBids": [...] }`);
  const prefix = Array.isArray(raw) ? "" : ".aggregatedBids";
  const res = z
    .array(aggSchema)
    .max(BID_LIMITS.rows, `more than ${formatCount(BID_LIMITS.rows)} bids; the limit is ${formatCount(BID_LIMITS.rows)}`)
    .safeParse(list);
  if (!res.success) {
    const issue = res.error.issues[0];
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    throw new BidFormatError(`${name}${prefix}${path}: ${issue.message}`);
  }
  if (res.data.length === 0) throw new BidFormatError(`${name}: no bids`);
  validateAggregatedBids(res.data as AggregatedBid[], (i) => `${name}${prefix}[${i}]`);
  return res.data as AggregatedBid[];
}

export function writeAggregatedBidsJson(bids: AggregatedBid[]): string {
  return `${JSON.stringify({ aggregatedBids: bids }, null, 1)}\n`;
}

export function parseAggregatedBidsFile(fileName: string, text: string): AggregatedBid[] {
  const base = fileName.replace(/^.*[\\/]/, "");
  const t = text.replace(/^\uFEFF/, "").trimStart();
  return /\.json$/i.test(fileName) || t.startsWith("{") || t.startsWith("[") ? parseAggregatedBidsJson(text, base) : parseAggregatedBidsCsv(text, base);
}
