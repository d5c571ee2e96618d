import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { parsePublishedRegion, PQV_REGION_SCHEMA, RegionFormatError, type PublishedRegion, type PublishedRegionEntry, type RegionSummary } from "@/lib/regions/published";
import type { RegionProblemOptionsStored } from "@/lib/regions/problem-options";
import { recordAudit } from "./audit";
import { ApiError } from "./api-error";
import { serializableTransaction } from "@/lib/db/transaction";
import { GRID_AND_DSO, publishedOrigin } from "./published";

/**
 * Flexibility regions on the server: a DSO stores what its browser computed, checked with
 * the strict schema of the region's kind before anything is written; publishing makes it
 * the grid's one published region of that kind, which is all the TSO reads of the grid.
 */

const SUMMARY = { id: true, gridId: true, kind: true, method: true, size: true, published: true, publishedAt: true, createdAt: true } as const;

function toSummary(r: { id: string; gridId: string; kind: string; method: string; size: number; published: boolean; publishedAt: Date | null; createdAt: Date }): RegionSummary {
  return { ...r, publishedAt: r.publishedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() };
}

/** The region as the strict schema of its kind reads it; 400 naming the field otherwise. */
export function checkRegion(raw: unknown): PublishedRegion {
  try {
    return parsePublishedRegion(raw);
  } catch (e) {
    if (e instanceof RegionFormatError) throw new ApiError("bad_request", e.message);
    throw e;
  }
}

/** Kind, method and size (area in MW·MVAr, or the PQV box's volume) of a region. */
function describe(region: PublishedRegion): { kind: string; method: string; size: number } {
  if (region.schema === PQV_REGION_SCHEMA) {
    const { min, max } = region.box;
    return { kind: "pqv", method: "pqv", size: (max[0] - min[0]) * (max[1] - min[1]) * (max[2] - min[2]) };
  }
  return { kind: "pq", method: region.method, size: region.areaMW2 };
}

export async function storeRegion(prisma: PrismaClient, gridId: string, region: PublishedRegion, publish: boolean, options: RegionProblemOptionsStored | null = null): Promise<RegionSummary> {
  const { kind, method, size } = describe(region);
  return serializableTransaction(prisma, async (tx) => {
    if (publish) await tx.flexRegion.updateMany({ where: { gridId, kind, published: true }, data: { published: false, publishedAt: null } });
    const row = await tx.flexRegion.create({
      data: {
        id: randomUUID(),
        gridId,
        kind,
        method,
        regionJson: JSON.stringify(region),
        optionsJson: options ? JSON.stringify(options) : null,
        size,
        published: publish,
        publishedAt: publish ? new Date() : null,
      },
      select: SUMMARY,
    });
    const { ownerId } = await tx.grid.findUniqueOrThrow({ where: { id: gridId }, select: { ownerId: true } });
    await recordAudit(tx, { action: publish ? "region.publish" : "region.store", objectType: "region", objectId: row.id, ownerId, detail: { gridId, kind, method, size } });
    return toSummary(row);
  });
}

export async function listRegions(prisma: PrismaClient, gridId: string): Promise<RegionSummary[]> {
  const rows = await prisma.flexRegion.findMany({ where: { gridId }, select: SUMMARY, orderBy: { createdAt: "desc" } });
  return rows.map(toSummary);
}

export async function publishedRegions(prisma: PrismaClient): Promise<PublishedRegionEntry[]> {
  const rows = await prisma.flexRegion.findMany({
    where: { published: true },
    select: { id: true, gridId: true, kind: true, method: true, regionJson: true, publishedAt: true, grid: GRID_AND_DSO },
    orderBy: { publishedAt: "asc" },
  });
  // Re-parsed with the strict schema on the way out: only its fields can cross.
  return rows.map((r) => ({
    ...publishedOrigin(r),
    kind: r.kind,
    method: r.method,
    publishedAt: r.publishedAt!.toISOString(),
    region: parsePublishedRegion(JSON.parse(r.regionJson)),
  }));
}
