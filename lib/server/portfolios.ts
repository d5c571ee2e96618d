import type { PrismaClient } from "@/lib/db/client";
import {
  BidFormatError,
  demoPortfolios,
  disaggregate,
  parseAggregatedBidsFile,
  validateAggregatedBids,
  writeAggregatedBidsCsv,
  type AggregatedAsset,
  type AggregatedBid,
  type GridAssetRegistry,
} from "@/lib/market";
import { ApiError } from "./errors";
import { publishedDsoSides, registriesOf, storePortfolio, type DsoSide, type PortfolioSummary } from "./market";
import { MAX_PORTFOLIO_BYTES, PORTFOLIO_FILE_PATTERN, portfolioTooLargeMessage } from "./portfolio-limits";
import type { SessionUser } from "./roles";
import { readFileUpload, type FileUpload, type FileUploadRules } from "./upload";

/**
 * An aggregator's portfolios as the bid congestion manager's routes serve them: the
 * owner's own data only. Another aggregator's portfolio answers exactly like one that
 * does not exist (404), so ids cannot be probed.
 */

const PORTFOLIO_UPLOAD: FileUploadRules = {
  what: "the portfolio",
  maxBytes: MAX_PORTFOLIO_BYTES,
  tooLargeMessage: portfolioTooLargeMessage,
  accept: PORTFOLIO_FILE_PATTERN,
  acceptHint: "upload aggregated bids as .csv or .json",
  defaultName: "portfolio",
};

/** The portfolio file of a multipart/form-data upload (field `file`, optional `name`), as UTF-8 text. */
export function readPortfolioUpload(req: Request): Promise<FileUpload> {
  return readFileUpload(req, PORTFOLIO_UPLOAD);
}

/** storePortfolio's refusals are plain Errors (owner, taken id) or BidFormatErrors; anything else is a fault. */
function isBidRefusal(e: unknown): e is Error {
  return e instanceof BidFormatError || (e instanceof Error && Object.getPrototypeOf(e) === Error.prototype);
}

/**
 * Parse, check and store an uploaded portfolio. Every check (format, shares and
 * signs, owner = uploader, platform-unique ids, every asset placed in a grid with a
 * published light model) runs before the one write; a refusal is a 400 naming the
 * line or field and leaves the database as it was.
 */
export async function createPortfolioFromUpload(prisma: PrismaClient, user: SessionUser, upload: FileUpload): Promise<PortfolioSummary> {
  if (!upload.text.trim()) throw new ApiError("bad_request", `${upload.fileName}: the file is empty`);
  try {
    const bids = parseAggregatedBidsFile(upload.fileName, upload.text);
    const registries = registriesOf(await publishedDsoSides(prisma));
    const name = upload.name?.trim() || upload.fileName.replace(PORTFOLIO_FILE_PATTERN, "");
    return await storePortfolio(prisma, user, bids, { name, fileName: upload.fileName }, registries);
  } catch (e) {
    if (isBidRefusal(e)) throw new ApiError("bad_request", e.message.startsWith(upload.fileName) ? e.message : `${upload.fileName}: ${e.message}`);
    throw e;
  }
}

interface OwnPortfolio {
  summary: PortfolioSummary;
  bids: AggregatedBid[];
}

/** The caller's portfolio; 404 both when it does not exist and when it belongs to someone else. */
export async function getOwnPortfolio(prisma: PrismaClient, user: SessionUser, id: string): Promise<OwnPortfolio> {
  const row = await prisma.bidPortfolio.findUnique({ where: { id } });
  if (!row || row.ownerId !== user.id) throw new ApiError("not_found", `you have no portfolio with id ${id}`);
  return {
    summary: { id: row.id, owner: user.username, name: row.name, fileName: row.fileName, bidCount: row.bidCount, createdAt: row.createdAt.toISOString() },
    bids: JSON.parse(row.bidsJson) as AggregatedBid[],
  };
}

export async function deleteOwnPortfolio(prisma: PrismaClient, user: SessionUser, id: string): Promise<void> {
  await getOwnPortfolio(prisma, user, id);
  await prisma.bidPortfolio.delete({ where: { id } });
}

// ---------------------------------------------------------------------------------
// Disaggregation (the BCM's split of each aggregated bid by asset location)

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

export function gridRefs(sides: DsoSide[]): GridRef[] {
  return sides.map((s) => ({ id: s.gridId, name: s.gridName, demoMode: s.demoMode }));
}

/**
 * How the BCM splits the caller's portfolio today, against the light models published
 * now (a DSO may have republished or withdrawn one since the upload: then the
 * portfolio is reported unplaceable with the reason, not hidden).
 */
export async function portfolioDisaggregation(prisma: PrismaClient, user: SessionUser, id: string): Promise<PortfolioDisaggregation> {
  const { bids } = await getOwnPortfolio(prisma, user, id);
  const sides = await publishedDsoSides(prisma);
  const grids = gridRefs(sides);
  let dis;
  try {
    dis = disaggregate(bids, registriesOf(sides));
  } catch (e) {
    if (e instanceof BidFormatError) return { portfolioId: id, placeable: false, problem: e.message, grids, bids: [] };
    throw e;
  }
  const grouped = new Set(dis.groups.map((g) => g.id));
  return {
    portfolioId: id,
    placeable: true,
    grids: grids.filter((g) => bids.some((b) => (dis.assets.get(b.id) ?? []).some((a) => a.gridId === g.id))),
    bids: bids.map((b) => ({
      bidId: b.id,
      direction: b.direction,
      volumeMw: b.volumeMw,
      priceEurPerMwh: b.priceEurPerMwh,
      minActivationMw: b.minActivationMw ?? null,
      indivisible: !!b.indivisible,
      group: grouped.has(b.id) ? b.id : null,
      assets: (dis.assets.get(b.id) ?? []).map((a) => ({
        assetBidId: a.bidId,
        assetId: a.assetId,
        gridId: a.gridId,
        connection: a.connection,
        opaqueLocation: a.opaqueLocation,
        volumeMw: a.volumeMw,
        priceEurPerMwh: b.priceEurPerMwh,
      })),
    })),
  };
}

// ---------------------------------------------------------------------------------
// Example portfolio over the caller's own units

interface UnitOffer {
  asset: AggregatedAsset;
  gridName: string;
  volumeMw: number;
}

/** The caller's units with the volumes they already offer (own stored bids, else the demo assignment). */
async function ownUnitOffers(prisma: PrismaClient, user: SessionUser, sides: DsoSide[], registries: GridAssetRegistry[]): Promise<UnitOffer[]> {
  const rows = await prisma.bidPortfolio.findMany({ where: { ownerId: user.id }, select: { bidsJson: true }, orderBy: { createdAt: "asc" } });
  let bids = rows.flatMap((r) => JSON.parse(r.bidsJson) as AggregatedBid[]);
  if (bids.length === 0) bids = sides.flatMap((s) => demoPortfolios(s.gridName, s.network)).filter((b) => b.owner === user.username);
  const nameOf = new Map(registries.map((r, k) => [r, sides[k].gridName]));
  const volumes = validateAggregatedBids(bids);
  return bids.flatMap((b, i) =>
    b.assets.flatMap((a, k) => {
      const reg = registries.find((r) => r.names.includes(a.grid));
      if (!reg || !reg.fpus.has(a.location ?? a.assetId)) return [];
      return [{ asset: { assetId: a.assetId, grid: nameOf.get(reg)!, ...(a.location ? { location: a.location } : {}) }, gridName: nameOf.get(reg)!, volumeMw: volumes[i][k] }];
    }),
  );
}

/**
 * A small valid portfolio over the caller's own units, to try the upload with: one
 * upward bid pooling up to three units by volume and one plain downward bid, in the
 * first grid where the caller has units. Ids carry a time stamp, so a second
 * download uploads too. It is checked by the same parser and BCM split as an upload.
 */
export async function portfolioTemplate(prisma: PrismaClient, user: SessionUser, now = new Date()): Promise<{ fileName: string; csv: string }> {
  const sides = await publishedDsoSides(prisma);
  const registries = registriesOf(sides);
  const offers = await ownUnitOffers(prisma, user, sides, registries);
  const grid = offers[0]?.gridName;
  if (!grid) throw new ApiError("not_found", "no units of yours are known on the platform; write a portfolio file as the README's format describes");
  const inGrid = offers.filter((o) => o.gridName === grid);
  const pick = (sign: number, n: number) => {
    const byAsset = new Map<string, UnitOffer>();
    for (const o of inGrid) if (Math.sign(o.volumeMw) === sign && !byAsset.has(o.asset.assetId)) byAsset.set(o.asset.assetId, o);
    return [...byAsset.values()].slice(0, n);
  };
  const up = pick(1, 3);
  const down = pick(-1, 1);
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const bids: AggregatedBid[] = [];
  const total = (xs: UnitOffer[]) => xs.reduce((s, o) => s + o.volumeMw, 0);
  if (up.length) {
    bids.push({
      id: `${user.username}-example-${stamp}-up`,
      owner: user.username,
      direction: "up",
      volumeMw: total(up),
      priceEurPerMwh: 45,
      assets: up.map((o) => ({ ...o.asset, volumeMw: o.volumeMw })),
    });
  }
  if (down.length) {
    bids.push({ id: `${user.username}-example-${stamp}-down`, owner: user.username, direction: "down", volumeMw: total(down), priceEurPerMwh: 15, assets: [down[0].asset] });
  }
  const csv =
    [
      `# Example portfolio of ${user.username} over ${bids.reduce((s, b) => s + b.assets.length, 0)} of your units in ${grid}.`,
      "# One row per asset; rows with the same bidId form one aggregated bid. Give each asset either assetMW or a share of totalMW.",
      "# Your units may be in other portfolios of yours too: the platform does not yet check that all bids on one unit together stay within what it can deliver.",
    ].join("\n") +
    "\n" +
    writeAggregatedBidsCsv(bids);
  const fileName = `portfolio-example-${user.username}.csv`;
  disaggregate(parseAggregatedBidsFile(fileName, csv), registries); // the template must pass what an upload passes
  return { fileName, csv };
}

// ---------------------------------------------------------------------------------
// Demo mode: a grid's drawing with the caller's own connection points

/**
 * A grid the caller may see drawn, and the connection points of the caller's own
 * assets in it. 404 without a published light model; 403 unless its DSO switched
 * demo mode on (checked here, on the server, for every request).
 */
export async function demoModeGrid(prisma: PrismaClient, user: SessionUser, gridId: string): Promise<{ side: DsoSide; connections: string[] }> {
  const sides = await publishedDsoSides(prisma);
  const side = sides.find((s) => s.gridId === gridId);
  if (!side) throw new ApiError("not_found", `no grid on the market has id ${gridId}`);
  if (!side.demoMode) throw new ApiError("forbidden", `the DSO of ${side.gridName} has not enabled demo mode; its grid is not drawn outside the DSO`);
  const registries = registriesOf(sides);
  const rows = await prisma.bidPortfolio.findMany({ where: { ownerId: user.id }, select: { bidsJson: true } });
  const connections = new Set<string>();
  for (const row of rows) {
    let dis;
    try {
      dis = disaggregate(JSON.parse(row.bidsJson) as AggregatedBid[], registries);
    } catch (e) {
      if (e instanceof BidFormatError) continue;
      throw e;
    }
    for (const list of dis.assets.values()) for (const a of list) if (a.gridId === gridId) connections.add(a.connection);
  }
  return { side, connections: [...connections] };
}
