import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { relinearizeInClearing } from "@/lib/server/tso-clearings";
import { RELINEARIZE_BODY_LIMIT, relinearizeSchema } from "./schema";

/**
 * POST { clearingId, lightModelId, locationMw, locationMvar, pointIndex, iteration } → the new
 * operating point as bare JSON: the DSO side linearizes its grid at the dispatched
 * point and returns one more operating point of the published light model (its
 * fields only, under the model's opaque ids). Nothing is stored: the DSO's published
 * model is unchanged. The TSO view hands the text to its worker unparsed. Only at the
 * dispatch the clearing validated last for the grid (lib/server/tso-clearings.ts).
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  const input = await readJson(req, relinearizeSchema, RELINEARIZE_BODY_LIMIT);
  return jsonResponse(await relinearizeInClearing(await getPrisma(), user, input));
});
