import { PQV_REGION_SCHEMA } from "@/lib/regions/published";
import { checkRegionOptions } from "@/lib/server/coordination";
import { ApiError, apiRoute, jsonResponse } from "@/lib/server/errors";
import { readLargeJsonAs } from "@/lib/server/large-json";
import { checkRegion, listRegions, storeRegion } from "@/lib/server/regions";
import { regionUploadSchema } from "./schema";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string }> };

/** 8 MB: a published region is a polygon of at most 8,192 vertices and its half-spaces. */
const MAX_REGION_BYTES = 8 * 1024 * 1024;

/** GET → { regions } the stored flexibility regions of the owner's grid (summaries, newest first). */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  return jsonResponse({ regions: await listRegions(prisma, id) });
});

/**
 * POST { region, publish, options? } → 201 { region } summary. The region (PQ or PQV) must pass the
 * strict schema of its kind (no bus, branch or unit ids); with publish it becomes the grid's
 * one published region of that kind. Nothing is stored on refusal.
 */
export const POST = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  const body = await readLargeJsonAs(req, regionUploadSchema, MAX_REGION_BYTES);
  const region = checkRegion(body.region);
  const options = body.options === undefined ? null : checkRegionOptions(body.options);
  if (options && options.kind !== (region.schema === PQV_REGION_SCHEMA ? "pqv" : "pq"))
    throw new ApiError("bad_request", `options.kind: '${options.kind}' options do not go with a ${region.schema} region`);
  return jsonResponse({ region: await storeRegion(prisma, id, region, body.publish, options) }, { status: 201 });
});
