import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { tsoMarket } from "@/lib/server/tso";

/**
 * GET → { grids: [{ gridId, lightModelId, bids }], groups }: the aggregators' bids
 * after the bid congestion manager, one per asset at an opaque location of each
 * published light model (id, owner, gridId, location, volume, price, minimum
 * activation / indivisible / group, reactive ratio) — no asset ids, no buses.
 */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  return jsonResponse(await tsoMarket(await getPrisma()));
});
