import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { relinearizeForTso } from "@/lib/server/tso";
import { RELINEARIZE_BODY_LIMIT, relinearizeSchema } from "./schema";

/**
 * POST { lightModelId, locationMw, locationMvar, pointIndex, iteration } → the new
 * operating point as bare JSON: the DSO side linearizes its grid at the dispatched
 * point and returns one more operating point of the published light model (its
 * fields only, under the model's opaque ids). Nothing is stored: the DSO's published
 * model is unchanged. The TSO view hands the text to its worker unparsed.
 */
export const POST = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  const input = await readJson(req, relinearizeSchema, RELINEARIZE_BODY_LIMIT);
  return jsonResponse(await relinearizeForTso(await getPrisma(), input));
});
