import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute } from "@/lib/server/errors";
import { publishedLightModelsJson } from "@/lib/server/market";

/**
 * GET → { lightModels: [{ id, gridId, gridName, dso, publishedAt, model }] }: the
 * published light models (the strict schema's fields only) and who published them.
 * Nothing else of a DSO's grid is served to the TSO. Built around the stored texts, unparsed
 * (lib/server/market.ts publishedLightModelsJson).
 */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  return new Response(await publishedLightModelsJson(await getPrisma()), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
});
