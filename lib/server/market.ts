import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BidGroup } from "@/lib/clearing/milp";
import { parseNetworkJson, type Network } from "@/lib/grid";
import {
  disaggregate,
  registryFromDso,
  validateAggregatedBids,
  type AggregatedBid,
  type Bid,
  type Disaggregation,
  type GridAssetRegistry,
} from "@/lib/market";
import { parseLightModel, type LightModel, type LightModelKey } from "@/lib/sensitivity/light-model";

/**
 * Server-side store of the market data: DSOs' light models (the published part is
 * what the TSO may read; the key stays here), aggregators' portfolios, and the bid
 * congestion manager's view of both. Role checks belong to the routes calling this.
 */

export interface LightModelSummary {
  id: string;
  gridId: string;
  operatingPoints: number;
  locations: number;
  monitoredBuses: number;
  monitoredBranches: number;
  reactive: boolean;
  sizeBytes: number;
  published: boolean;
  publishedAt: string | null;
  createdAt: string;
}

const SUMMARY = {
  id: true,
  gridId: true,
  operatingPoints: true,
  locations: true,
  monitoredBuses: true,
  monitoredBranches: true,
  reactive: true,
  sizeBytes: true,
  published: true,
  publishedAt: true,
  createdAt: true,
} as const;

function toSummary(r: Prisma.LightModelGetPayload<{ select: typeof SUMMARY }>): LightModelSummary {
  return { ...r, publishedAt: r.publishedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() };
}

/** Store a light model and its key for a grid (validated against the schema first). */
export async function storeLightModel(
  prisma: PrismaClient,
  gridId: string,
  lightModel: unknown,
  key: LightModelKey,
  opts: { publish?: boolean } = {},
): Promise<LightModelSummary> {
  const lm = parseLightModel(lightModel);
  if (key.modelId !== lm.modelId) throw new Error("the key does not belong to this light model");
  const modelJson = JSON.stringify(lm);
  const row = await prisma.lightModel.create({
    data: {
      id: randomUUID(),
      gridId,
      modelJson,
      keyJson: JSON.stringify(key),
      operatingPoints: lm.operatingPoints.length,
      locations: lm.locations.length,
      monitoredBuses: lm.monitoredBuses.length,
      monitoredBranches: lm.monitoredBranches.length,
      reactive: lm.reactive,
      sizeBytes: Buffer.byteLength(modelJson),
      published: !!opts.publish,
      publishedAt: opts.publish ? new Date() : null,
    },
    select: SUMMARY,
  });
  return toSummary(row);
}

export async function listLightModels(prisma: PrismaClient, gridId: string): Promise<LightModelSummary[]> {
  const rows = await prisma.lightModel.findMany({ where: { gridId }, select: SUMMARY, orderBy: { createdAt: "desc" } });
  return rows.map(toSummary);
}

/** Publish one light model of a grid; at most one per grid is published at a time. */
export async function publishLightModel(prisma: PrismaClient, gridId: string, lightModelId: string): Promise<LightModelSummary> {
  return prisma.$transaction(async (tx) => {
    await tx.lightModel.updateMany({ where: { gridId, published: true }, data: { published: false, publishedAt: null } });
    const row = await tx.lightModel.update({ where: { id: lightModelId, gridId }, data: { published: true, publishedAt: new Date() }, select: SUMMARY });
    return toSummary(row);
  });
}

/** Everything the TSO may know of a published light model: the model itself and who published it. */
export interface PublishedLightModel {
  id: string;
  gridId: string;
  gridName: string;
  dso: string;
  publishedAt: string;
  model: LightModel;
}

export async function publishedLightModels(prisma: PrismaClient): Promise<PublishedLightModel[]> {
  const rows = await prisma.lightModel.findMany({
    where: { published: true },
    select: { id: true, gridId: true, modelJson: true, publishedAt: true, grid: { select: { name: true, owner: { select: { displayName: true } } } } },
    orderBy: { publishedAt: "asc" },
  });
  return rows.map((r) => ({
    id: r.id,
    gridId: r.gridId,
    gridName: r.grid.name,
    dso: r.grid.owner.displayName,
    publishedAt: r.publishedAt!.toISOString(),
    model: JSON.parse(r.modelJson) as LightModel,
  }));
}

/** The DSO side of a published light model: grid, key and model (never sent to the TSO). */
export interface DsoSide {
  lightModelId: string;
  gridId: string;
  gridName: string;
  demoMode: boolean;
  network: Network;
  key: LightModelKey;
  model: LightModel;
}

export async function publishedDsoSides(prisma: PrismaClient): Promise<DsoSide[]> {
  const rows = await prisma.lightModel.findMany({
    where: { published: true },
    select: { id: true, gridId: true, modelJson: true, keyJson: true, grid: { select: { name: true, networkJson: true, demoMode: true } } },
    orderBy: { publishedAt: "asc" },
  });
  return rows.map((r) => ({
    lightModelId: r.id,
    gridId: r.gridId,
    gridName: r.grid.name,
    demoMode: r.grid.demoMode,
    network: parseNetworkJson(r.grid.networkJson),
    key: JSON.parse(r.keyJson) as LightModelKey,
    model: JSON.parse(r.modelJson) as LightModel,
  }));
}

/** Asset registries of the grids with a published light model (the BCM places assets with these). */
export function registriesOf(sides: DsoSide[]): GridAssetRegistry[] {
  return sides.map((s) => registryFromDso(s.gridId, [s.gridName], s.network, s.key));
}

// ---------------------------------------------------------------------------------
// Portfolios

export interface PortfolioSummary {
  id: string;
  owner: string;
  name: string;
  fileName: string | null;
  bidCount: number;
  createdAt: string;
}

/**
 * Store an aggregator's portfolio after checking it: the bids themselves, their
 * owner (the uploader), and that every asset can be placed in a grid with a
 * published light model. Nothing is written if any check fails.
 */
export async function storePortfolio(
  prisma: PrismaClient,
  owner: { id: string; username: string },
  bids: AggregatedBid[],
  source: { name: string; fileName: string | null },
  registries: GridAssetRegistry[],
): Promise<PortfolioSummary> {
  validateAggregatedBids(bids);
  const foreign = bids.find((b) => b.owner !== owner.username);
  if (foreign) throw new Error(`bid ${foreign.id}: owner '${foreign.owner}' is not you (${owner.username})`);
  const others = await prisma.bidPortfolio.findMany({ select: { bidsJson: true } });
  const taken = new Set(others.flatMap((p) => (JSON.parse(p.bidsJson) as AggregatedBid[]).map((b) => b.id)));
  const clash = bids.find((b) => taken.has(b.id));
  if (clash) throw new Error(`bid id '${clash.id}' is already used on the platform`);
  disaggregate(bids, registries); // places every asset or throws
  const row = await prisma.bidPortfolio.create({
    data: { id: randomUUID(), ownerId: owner.id, name: source.name.slice(0, 120), fileName: source.fileName, bidsJson: JSON.stringify(bids), bidCount: bids.length },
  });
  return { id: row.id, owner: owner.username, name: row.name, fileName: row.fileName, bidCount: row.bidCount, createdAt: row.createdAt.toISOString() };
}

export async function listPortfolios(prisma: PrismaClient, ownerId?: string): Promise<PortfolioSummary[]> {
  const rows = await prisma.bidPortfolio.findMany({
    where: ownerId ? { ownerId } : {},
    select: { id: true, name: true, fileName: true, bidCount: true, createdAt: true, owner: { select: { username: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ id: r.id, owner: r.owner.username, name: r.name, fileName: r.fileName, bidCount: r.bidCount, createdAt: r.createdAt.toISOString() }));
}

/** Every stored aggregated bid, in upload order. */
export async function allAggregatedBids(prisma: PrismaClient): Promise<AggregatedBid[]> {
  const rows = await prisma.bidPortfolio.findMany({ select: { bidsJson: true }, orderBy: { createdAt: "asc" } });
  return rows.flatMap((r) => JSON.parse(r.bidsJson) as AggregatedBid[]);
}

/**
 * The market as the bid congestion manager hands it to the clearing: per-asset bids
 * grouped per grid (at opaque locations of each published light model) and the
 * groups of aggregated bids with a joint minimum.
 */
export interface MarketBids {
  aggregated: AggregatedBid[];
  dis: Disaggregation;
  grids: { gridId: string; lightModelId: string; bids: Bid[] }[];
  groups: BidGroup[];
}

export function marketBids(aggregated: AggregatedBid[], sides: DsoSide[]): MarketBids {
  const dis = disaggregate(aggregated, registriesOf(sides));
  return {
    aggregated,
    dis,
    grids: sides.map((s) => ({ gridId: s.gridId, lightModelId: s.lightModelId, bids: dis.perGrid.get(s.gridId) ?? [] })),
    groups: dis.groups,
  };
}
