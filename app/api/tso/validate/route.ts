import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { MAX_LIGHT_MODEL_BYTES, readJson } from "@/lib/server/request";
import { validateForTso } from "@/lib/server/tso";
import { validateSchema } from "./schema";

/**
 * POST { grids: [{ lightModelId, selectedIndex, locationMw, locationMvar, reactive, addedOperatingPoints? }] }
 * → { validations }: the server, acting for each DSO, runs the AC power flow with the
 * dispatch on the DSO's grid and answers with the verdict and the metrics only
 * (MAE/RMSE, violation count, critical elements by opaque id, PCC exchange).
 */
export const POST = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  const { grids } = await readJson(req, validateSchema, MAX_LIGHT_MODEL_BYTES);
  const prisma = await getPrisma();
  const validations = [];
  for (const g of grids) validations.push(await validateForTso(prisma, g));
  return jsonResponse({ validations });
});
