import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { openTsoClearing } from "@/lib/server/tso-clearings";
import { openClearingSchema } from "./schema";

/**
 * POST { requestMw } → 201 { clearing: { id, requestMw, expiresAt, maxIterations }, market }:
 * opens a clearing with the bids on the market now (as GET /api/tso/bids). Validations,
 * re-linearizations and the stored run name it, and their dispatches must stay within
 * what these bids offer at each location. 429 past the hourly quota.
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  const { requestMw } = await readJson(req, openClearingSchema);
  return jsonResponse(await openTsoClearing(await getPrisma(), user, requestMw), { status: 201 });
});
