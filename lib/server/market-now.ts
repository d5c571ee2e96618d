import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import type { GridAssetRegistry } from "@/lib/market";
import { publishedSharedSideRows } from "./market";
import { storedPortfolios, type MarketBids, type SideHead } from "./market-bids";
import { runTask } from "./pool";

/**
 * Every stored portfolio placed against the light models published now, on the worker pool
 * (task "market", market-bids.ts marketOfRows): the request thread reads the rows (the
 * published texts as shared bytes, read once per light model) and never parses a grid or a
 * light model of megabytes, nor places the bids.
 */
export async function marketNow(prisma: PrismaClient): Promise<{ market: MarketBids; sides: SideHead[] }> {
  const [sideRows, portfolios] = await Promise.all([publishedSharedSideRows(prisma), storedPortfolios(prisma)]);
  return runTask("market", { sideRows, portfolios });
}

/** The asset registries of the published grids (units, owners, limits, opaque locations), made on the worker pool from the shared rows. */
export async function publishedRegistries(prisma: PrismaClient): Promise<GridAssetRegistry[]> {
  return runTask("registries", { sideRows: await publishedSharedSideRows(prisma) });
}
