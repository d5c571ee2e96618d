import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { aggregatorDemoMapOf } from "@/lib/server/portfolios";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET → { grid, map, assets } for a grid in demo mode: its drawing (no electrical data)
 * and where the caller's own assets connect; 403 when the DSO has not enabled demo mode.
 * A grid without geography is drawn from its schematic layout (stored, else computed once).
 * The drawing is made on the server's worker pool, not on the request thread.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  return jsonResponse(await aggregatorDemoMapOf(await getPrisma(), user, id));
});
