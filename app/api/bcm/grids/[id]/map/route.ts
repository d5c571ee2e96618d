import { connectionPositions, demoMapOf } from "@/components/bcm/demo-map";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { demoModeGrid } from "@/lib/server/portfolios";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET → { grid, map, assets } for a grid in demo mode: its drawing (no electrical data)
 * and where the caller's own assets connect; 403 when the DSO has not enabled demo mode.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  const { side, connections } = await demoModeGrid(await getPrisma(), user, id);
  return jsonResponse({
    grid: { id: side.gridId, name: side.gridName, demoMode: true },
    map: demoMapOf(side.network),
    assets: connectionPositions(side.network, connections),
  });
});
