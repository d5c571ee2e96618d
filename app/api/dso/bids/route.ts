import { requireUser } from "@/lib/server/auth";
import { dsoGridBids } from "@/lib/server/bcm";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";

/** GET → { grids } per own grid, the per-asset bids located in it (asset, bus, opaque location, volume, aggregator). */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["DSO"]);
  return jsonResponse({ grids: await dsoGridBids(await getPrisma(), user) });
});
