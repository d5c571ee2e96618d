import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import type { BidGroup } from "@/lib/clearing/milp";
import { BidFormatError, checkUnitTotal, disaggregate, unitKey, type AggregatedBid, type Bid, type DisaggregatedAsset, type Disaggregation } from "@/lib/market";
import { registriesOf, type DsoSide } from "./market";
import { PORTFOLIO_VERSION } from "./portfolio-store";

/**
 * The market as the bid congestion manager hands it to a clearing: every stored
 * portfolio placed against the light models published now, in upload order. A
 * portfolio that cannot be placed — a withdrawn grid, data from before the checks, a
 * clash with an earlier portfolio — is skipped with its reason, which only its owner
 * is shown; it never stops the market for the others.
 */

export interface PlacedPortfolio {
  id: string;
  name: string;
  owner: string;
  bids: AggregatedBid[];
  dis: Disaggregation;
}

export interface SkippedPortfolio {
  owner: string;
  portfolioId: string;
  portfolio: string;
  reason: string;
}

export interface MarketBids {
  placed: PlacedPortfolio[];
  skipped: SkippedPortfolio[];
  /** The placed portfolios' aggregated bids, in upload order. */
  aggregated: AggregatedBid[];
  /** Their split, merged over the placed portfolios. */
  dis: Disaggregation;
  /** Per grid with a published light model, its per-asset bids at opaque locations. */
  grids: { gridId: string; lightModelId: string; bids: Bid[] }[];
  groups: BidGroup[];
}

export interface StoredPortfolioRow {
  id: string;
  name: string;
  owner: string;
  version: number;
  bidsJson: string;
}

const REUPLOAD = "it was stored before the platform checked unit ownership and capacity; upload it again";

function parseBids(row: StoredPortfolioRow): AggregatedBid[] {
  try {
    const bids = JSON.parse(row.bidsJson) as unknown;
    if (!Array.isArray(bids)) throw new Error("not a list");
    return bids as AggregatedBid[];
  } catch {
    throw new BidFormatError("its stored bids cannot be read; upload it again");
  }
}

/** Place every stored portfolio (in upload order) against the published sides; never throws for one bad portfolio. */
export function buildMarket(rows: StoredPortfolioRow[], sides: DsoSide[]): MarketBids {
  const registries = registriesOf(sides);
  const registry = new Map(registries.map((r) => [r.gridId, r]));
  const placed: PlacedPortfolio[] = [];
  const skipped: SkippedPortfolio[] = [];
  const bidIds = new Set<string>();
  const assetIds = new Set<string>();
  const unitUse = new Map<string, { upMw: number; downMw: number }>();
  for (const row of rows) {
    try {
      if (row.version < PORTFOLIO_VERSION) throw new BidFormatError(REUPLOAD);
      const bids = parseBids(row);
      const dis = disaggregate(bids, registries, { requireOwnedUnits: true });
      const parts = [...dis.assets.values()].flat();
      const clash = bids.find((b) => bidIds.has(b.id))?.id ?? parts.find((p) => assetIds.has(p.bidId))?.bidId;
      if (clash) throw new BidFormatError(`bid id '${clash}' is also in a portfolio stored earlier`);
      // This portfolio's volume per unit on top of what the portfolios placed before it hold.
      const mine = new Map<string, { gridId: string; unitId: string; upMw: number; downMw: number }>();
      for (const p of parts) {
        const k = unitKey(p.gridId, p.assetId);
        const u = mine.get(k) ?? { gridId: p.gridId, unitId: p.assetId, ...(unitUse.get(k) ?? { upMw: 0, downMw: 0 }) };
        if (p.volumeMw > 0) u.upMw += p.volumeMw;
        else u.downMw += p.volumeMw;
        mine.set(k, u);
      }
      for (const u of mine.values()) {
        const reg = registry.get(u.gridId)!;
        checkUnitTotal(reg.gridName, u.unitId, reg.units.get(u.unitId)!, u.upMw, u.downMw, "over your portfolios");
      }
      for (const [k, u] of mine) unitUse.set(k, { upMw: u.upMw, downMw: u.downMw });
      for (const b of bids) bidIds.add(b.id);
      for (const p of parts) assetIds.add(p.bidId);
      placed.push({ id: row.id, name: row.name, owner: row.owner, bids, dis });
    } catch (e) {
      if (!(e instanceof BidFormatError)) console.error(`portfolio ${row.id} could not be placed:`, e);
      const reason = e instanceof BidFormatError ? e.message : "it could not be placed (an internal error; the platform logged it)";
      skipped.push({ owner: row.owner, portfolioId: row.id, portfolio: row.name, reason });
    }
  }
  const perGrid = new Map<string, Bid[]>();
  const assets = new Map<string, DisaggregatedAsset[]>();
  const groups: BidGroup[] = [];
  for (const p of placed) {
    for (const [gridId, bids] of p.dis.perGrid) perGrid.set(gridId, [...(perGrid.get(gridId) ?? []), ...bids]);
    for (const [id, list] of p.dis.assets) assets.set(id, list);
    groups.push(...p.dis.groups);
  }
  return {
    placed,
    skipped,
    aggregated: placed.flatMap((p) => p.bids),
    dis: { perGrid, groups, assets },
    grids: sides.map((s) => ({ gridId: s.gridId, lightModelId: s.lightModelId, bids: perGrid.get(s.gridId) ?? [] })),
    groups,
  };
}

/** The stored portfolios (all, or one owner's), oldest first. */
export async function storedPortfolios(prisma: PrismaClient, ownerId?: string): Promise<StoredPortfolioRow[]> {
  const rows = await prisma.bidPortfolio.findMany({
    where: ownerId ? { ownerId } : {},
    select: { id: true, name: true, version: true, bidsJson: true, owner: { select: { username: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({ id: r.id, name: r.name, owner: r.owner.username, version: r.version, bidsJson: r.bidsJson }));
}

/** What the callers of marketNow need of a published side: its ids, name, demo mode and the light model's locations (no grid, key or model). */
export interface SideHead {
  lightModelId: string;
  gridId: string;
  gridName: string;
  demoMode: boolean;
  locations: string[];
}

/** buildMarket over the published sides' stored rows (shared bytes): what the pool task "market" runs, where the sides are parsed once per thread. */
export function marketOfRows(sides: DsoSide[], portfolios: StoredPortfolioRow[]): { market: MarketBids; sides: SideHead[] } {
  return {
    market: buildMarket(portfolios, sides),
    sides: sides.map((s) => ({ lightModelId: s.lightModelId, gridId: s.gridId, gridName: s.gridName, demoMode: s.demoMode, locations: s.model.locations })),
  };
}
