import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { publishedLightModels } from "@/lib/server/market";

/**
 * GET → { lightModels: [{ id, gridId, gridName, dso, publishedAt, model }] }: the
 * published light models (the strict schema's fields only) and who published them.
 * Nothing else of a DSO's grid is served to the TSO.
 */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  return jsonResponse({ lightModels: await publishedLightModels(await getPrisma()) });
});
