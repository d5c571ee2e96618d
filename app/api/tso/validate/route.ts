import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { MAX_LIGHT_MODEL_BYTES, readJson } from "@/lib/server/request";
import { validateInClearing } from "@/lib/server/tso-clearings";
import { validateSchema } from "./schema";

/**
 * POST { clearingId, iteration, grids: [{ lightModelId, selectedIndex, locationMw, locationMvar, reactive, addedOperatingPoints? }] }
 * → { validations }: the server, acting for each DSO, runs the AC power flow with the
 * dispatch on the DSO's grid and answers with the verdict and the metrics only
 * (MAE/RMSE, violation count, critical elements by opaque id, PCC exchange). Only
 * dispatches within the clearing's bids, for its published grids, within the quota
 * (lib/server/tso-clearings.ts); each request is recorded for the grid's DSO.
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  const body = await readJson(req, validateSchema, MAX_LIGHT_MODEL_BYTES);
  return jsonResponse({ validations: await validateInClearing(await getPrisma(), user, body) });
});
