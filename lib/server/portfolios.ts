import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import type { AggregatedBid } from "@/lib/market";
import { auditedTransaction } from "./audit";
import { ApiError } from "./api-error";
import { storedLayoutForDemo, storeDemoLayout } from "./grid-layouts";
import { publishedSharedSideRows } from "./market";
import { storedPortfolios, type SideHead } from "./market-bids";
import { marketNow, publishedRegistries } from "./market-now";
import { storePortfolio } from "./portfolio-store";
import { portfolioError } from "./portfolio-upload";
import { runTask } from "./pool";
import type { FileUpload } from "./upload";
import type { PortfolioSummary, GridRef, PortfolioDisaggregation } from "@/lib/wire/bcm";
import type { SessionUser } from "@/lib/wire/roles";
import { PORTFOLIO_FILE_PATTERN } from "@/lib/limits/uploads";

export { PORTFOLIO_UPLOAD } from "./portfolio-upload";

/**
 * Parse, check and store an uploaded portfolio (lib/server/portfolio-store.ts). A
 * refusal is a 400 naming the line, field, bid, asset or unit, and leaves the
 * database as it was.
 */
export async function createPortfolioFromUpload(prisma: PrismaClient, user: SessionUser, upload: FileUpload): Promise<PortfolioSummary> {
  if (!upload.text.trim()) throw new ApiError("bad_request", `${upload.fileName}: the file is empty`);
  let bids: AggregatedBid[];
  try {
    bids = await runTask("parsePortfolio", { fileName: upload.fileName, text: upload.text });
  } catch (e) {
    throw portfolioError(upload.fileName, e);
  }
  return storeUploadedPortfolio(prisma, user, { fileName: upload.fileName, name: upload.name, bids });
}

/** Check and store parsed portfolio bids against the published grids (lib/server/portfolio-store.ts). */
export async function storeUploadedPortfolio(prisma: PrismaClient, user: SessionUser, upload: { fileName: string; name?: string; bids: AggregatedBid[] }): Promise<PortfolioSummary> {
  try {
    const name = upload.name?.trim() || upload.fileName.replace(PORTFOLIO_FILE_PATTERN, "");
    return await storePortfolio(prisma, user, upload.bids, { name, fileName: upload.fileName }, await publishedRegistries(prisma));
  } catch (e) {
    throw portfolioError(upload.fileName, e);
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
  const { summary } = await getOwnPortfolio(prisma, user, id);
  await auditedTransaction(prisma, { action: "portfolio.delete", objectType: "portfolio", objectId: id, ownerId: user.id, detail: { name: summary.name } }, (tx) =>
    tx.bidPortfolio.delete({ where: { id } }),
  );
}

// ---------------------------------------------------------------------------------
// Disaggregation (the BCM's split of each aggregated bid by asset location)

function gridRefs(sides: SideHead[]): GridRef[] {
  return sides.map((s) => ({ id: s.gridId, name: s.gridName, demoMode: s.demoMode }));
}

/**
 * How the BCM splits the caller's portfolio today, against the light models published
 * now and after the portfolios stored before it — exactly as a run would place it (a
 * DSO may have withdrawn a grid since the upload: then the portfolio is reported
 * unplaceable with the reason, not hidden).
 */
export async function portfolioDisaggregation(prisma: PrismaClient, user: SessionUser, id: string): Promise<PortfolioDisaggregation> {
  const { bids } = await getOwnPortfolio(prisma, user, id);
  const { market, sides } = await marketNow(prisma);
  const grids = gridRefs(sides);
  const skipped = market.skipped.find((p) => p.portfolioId === id);
  const placed = market.placed.find((p) => p.id === id);
  if (skipped || !placed) return { portfolioId: id, placeable: false, problem: skipped?.reason ?? "it is not on the market", grids, bids: [] };
  const dis = placed.dis;
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
// Demo mode: a grid's drawing with the caller's own connection points

/**
 * An aggregator's drawing of a grid in demo mode and where its own assets connect (403 unless
 * demo mode is on): the rows read here, the drawing made on the worker pool
 * (tso-side.ts aggregatorDemoMap); a layout computed there is stored.
 */
export async function aggregatorDemoMapOf(prisma: PrismaClient, user: SessionUser, gridId: string) {
  const [sideRows, portfolios, layout] = await Promise.all([publishedSharedSideRows(prisma), storedPortfolios(prisma, user.id), storedLayoutForDemo(prisma, gridId)]);
  const { body, computedLayout } = await runTask("aggregatorDemoMap", { sideRows, portfolios, gridId, layout });
  if (computedLayout) await storeDemoLayout(prisma, gridId, computedLayout);
  return body;
}
