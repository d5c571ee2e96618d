import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { assetBidId, BidFormatError, disaggregate, unitKey, validateAggregatedBids, type AggregatedBid, type Disaggregation, type GridAssetRegistry } from "@/lib/market";
import { recordAudit } from "./audit";
import { publishedNameKey } from "./grid-names";
import { serializableTransaction } from "@/lib/db/transaction";
import { testPause } from "./test-pause";
import type { PortfolioSummary } from "@/lib/wire/bcm";

/**
 * Storing an aggregator's portfolio. Every check runs before the one write: the file
 * itself, the owner (the uploader), grid references resolved once to grid ids among
 * the published grids, every asset a unit of its grid that the DSO recorded for the
 * uploader, and each unit's volume over all portfolios within what it offers. Bid ids
 * and per-asset ids are unique in the database (primary keys); the checks that involve
 * other portfolios run again inside the transaction that inserts, so two uploads at
 * the same moment cannot both take an id or a unit's last megawatt.
 */

/** Portfolios stored from now on; version 1 predates unit and capacity checks and is skipped by the market. */
export const PORTFOLIO_VERSION = 2;

/** An opaque id the TSO sees instead of a bid's own id (which may name a substation or a street). */
function opaqueBidId(prefix: "X" | "G"): string {
  return `${prefix}-${randomBytes(9).toString("base64url")}`;
}

/**
 * The bids with every asset's grid reference resolved to a grid id: a published grid's
 * id, or its name as published (names are unique among published grids). Nothing is
 * resolved by name after this.
 */
export function resolveGridRefs(bids: AggregatedBid[], sides: { gridId: string; gridName: string }[]): AggregatedBid[] {
  const byId = new Set(sides.map((s) => s.gridId));
  const byName = new Map(sides.map((s) => [publishedNameKey(s.gridName), s.gridId]));
  return bids.map((b) => ({
    ...b,
    assets: b.assets.map((a) => {
      const id = byId.has(a.grid) ? a.grid : byName.get(publishedNameKey(a.grid));
      if (!id) throw new BidFormatError(`aggregated bid ${b.id}, asset ${a.assetId}: no grid '${a.grid}' is on the market (give a published grid's name or id)`);
      return { ...a, grid: id };
    }),
  }));
}

type Db = Pick<PrismaClient, "portfolioBid" | "assetBid">;

/** What the stored portfolios offer of each unit (by unitKey), per direction, MW; only units of the given grids and ids. */
export async function storedUnitUse(db: Pick<PrismaClient, "assetBid">, gridIds: string[], unitIds: string[]): Promise<Map<string, { upMw: number; downMw: number }>> {
  const rows = await db.assetBid.findMany({ where: { gridId: { in: [...new Set(gridIds)] }, unitId: { in: [...new Set(unitIds)] } }, select: { gridId: true, unitId: true, volumeMw: true } });
  const use = new Map<string, { upMw: number; downMw: number }>();
  for (const r of rows) {
    const k = unitKey(r.gridId, r.unitId);
    const u = use.get(k) ?? { upMw: 0, downMw: 0 };
    if (r.volumeMw > 0) u.upMw += r.volumeMw;
    else u.downMw += r.volumeMw;
    use.set(k, u);
  }
  return use;
}

/** What this portfolio would take that is no longer free: a bid id, a per-asset id, or a unit's volume. */
async function takenByOthers(db: Db, bids: AggregatedBid[], dis: Disaggregation, registries: GridAssetRegistry[]): Promise<string | null> {
  const ids = bids.map((b) => b.id);
  const bidClash = await db.portfolioBid.findFirst({ where: { id: { in: ids } }, select: { id: true } });
  if (bidClash) return `bid id '${bidClash.id}' is already used on the platform`;
  const parts = [...dis.assets.values()].flat();
  const assetClash = await db.assetBid.findFirst({ where: { id: { in: parts.map((p) => p.bidId) } }, select: { id: true } });
  if (assetClash) return `per-asset bid id '${assetClash.id}' is already used on the platform`;
  const mine = new Map<string, { gridId: string; unitId: string; upMw: number; downMw: number }>();
  for (const p of parts) {
    const k = unitKey(p.gridId, p.assetId);
    const m = mine.get(k) ?? { gridId: p.gridId, unitId: p.assetId, upMw: 0, downMw: 0 };
    if (p.volumeMw > 0) m.upMw += p.volumeMw;
    else m.downMw += p.volumeMw;
    mine.set(k, m);
  }
  const before = await storedUnitUse(
    db,
    parts.map((p) => p.gridId),
    parts.map((p) => p.assetId),
  );
  const reg = new Map(registries.map((r) => [r.gridId, r]));
  for (const [k, m] of mine) {
    const b = before.get(k);
    if (!b) continue;
    const grid = reg.get(m.gridId)!;
    const unit = grid.units.get(m.unitId)!;
    for (const [here, there, cap, dir] of [
      [m.upMw, b.upMw, unit.upMw, "upward"],
      [m.downMw, b.downMw, unit.downMw, "downward"],
    ] as const) {
      if (here === 0 || Math.abs(here + there) <= Math.abs(cap) + 1e-9) continue;
      return (
        `unit ${m.unitId} in ${grid.gridName}: ${Math.abs(here).toFixed(6)} MW ${dir} in this file and ${Math.abs(there).toFixed(6)} MW in your stored portfolios ` +
        `exceed what the unit offers (${Math.abs(cap).toFixed(6)} MW); a unit's volume goes to the portfolio stored first — delete or replace that one to offer it here`
      );
    }
  }
  return null;
}

/**
 * Check and store a portfolio (see the module comment). Refusals throw BidFormatError
 * naming the bid, asset or unit; nothing is written then.
 */
export async function storePortfolio(
  prisma: PrismaClient,
  owner: { id: string; username: string },
  fileBids: AggregatedBid[],
  source: { name: string; fileName: string | null },
  registries: GridAssetRegistry[],
): Promise<PortfolioSummary> {
  validateAggregatedBids(fileBids);
  const foreign = fileBids.find((b) => b.owner !== owner.username);
  if (foreign) throw new BidFormatError(`bid ${foreign.id}: owner '${foreign.owner}' is not you (${owner.username})`);
  const bids = resolveGridRefs(fileBids, registries);
  const dis = disaggregate(bids, registries, { requireOwnedUnits: true });
  const refusal = await takenByOthers(prisma, bids, dis, registries);
  if (refusal) throw new BidFormatError(refusal);
  const grouped = new Set(dis.groups.map((g) => g.id));
  try {
    const row = await serializableTransaction(
      prisma,
      async (tx) => {
        const created = await tx.bidPortfolio.create({
          data: { id: randomUUID(), ownerId: owner.id, name: source.name.slice(0, 120), fileName: source.fileName, bidsJson: JSON.stringify(bids), bidCount: bids.length, version: PORTFOLIO_VERSION },
        });
        await testPause("portfolio-upload");
        // Again inside the transaction: another upload may have taken an id or a unit's volume since.
        const raced = await takenByOthers(tx, bids, dis, registries);
        if (raced) throw new BidFormatError(raced);
        await tx.portfolioBid.createMany({ data: bids.map((b) => ({ id: b.id, portfolioId: created.id, tsoGroupId: grouped.has(b.id) ? opaqueBidId("G") : null })) });
        await tx.assetBid.createMany({
          data: bids.flatMap((b) =>
            (dis.assets.get(b.id) ?? []).map((a) => ({
              id: assetBidId(b, a.assetId),
              bidId: b.id,
              portfolioId: created.id,
              gridId: a.gridId,
              unitId: a.assetId,
              volumeMw: a.volumeMw,
              tsoId: opaqueBidId("X"),
            })),
          ),
        });
        await recordAudit(tx, {
          action: "portfolio.upload",
          objectType: "portfolio",
          objectId: created.id,
          ownerId: owner.id,
          detail: { name: created.name, fileName: created.fileName, bids: bids.length },
        });
        return created;
      },
      { retryOn: ["P2002"] },
    );
    return { id: row.id, owner: owner.username, name: row.name, fileName: row.fileName, bidCount: row.bidCount, createdAt: row.createdAt.toISOString() };
  } catch (e) {
    // The unique keys are the last word when two uploads race past the checks.
    if ((e as { code?: string }).code === "P2002") throw new BidFormatError("a bid id of this file was taken by another upload at the same moment; upload it again to see which");
    throw e;
  }
}

export async function listPortfolios(prisma: PrismaClient, ownerId?: string): Promise<PortfolioSummary[]> {
  const rows = await prisma.bidPortfolio.findMany({
    where: ownerId ? { ownerId } : {},
    select: { id: true, name: true, fileName: true, bidCount: true, createdAt: true, owner: { select: { username: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ id: r.id, owner: r.owner.username, name: r.name, fileName: r.fileName, bidCount: r.bidCount, createdAt: r.createdAt.toISOString() }));
}
