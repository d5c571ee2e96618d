import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { publishedRegions } from "@/lib/server/regions";

/**
 * GET → { regions: [{ id, gridId, gridName, dso, kind, method, publishedAt, region }] }:
 * the published flexibility regions (the strict schema's fields only).
 */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  return jsonResponse({ regions: await publishedRegions(await getPrisma()) });
});
