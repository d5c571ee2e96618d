import { connectionPositions, demoMapOf } from "@/components/bcm/demo-map";
import { diagramData } from "@/components/diagram/diagram-data";
import { gridMapData } from "@/lib/map/map-data";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { layoutForDemo } from "@/lib/server/grid-layouts";
import { demoModeGrid } from "@/lib/server/portfolios";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET → { grid, map, assets } for a grid in demo mode: its drawing (no electrical data)
 * and where the caller's own assets connect; 403 when the DSO has not enabled demo mode.
 * A grid without geography is drawn from its schematic layout (stored, else computed once).
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  const prisma = await getPrisma();
  const { side, connections } = await demoModeGrid(prisma, user, id);
  const net = side.network;
  const geographic = gridMapData(net);
  const layout = geographic.bounds ? null : await layoutForDemo(prisma, id, net);
  return jsonResponse({
    grid: { id: side.gridId, name: side.gridName, demoMode: true },
    map: demoMapOf(net, layout ? diagramData(net, layout) : geographic),
    assets: connectionPositions(net, connections, layout),
  });
});
