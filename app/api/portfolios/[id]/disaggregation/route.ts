import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { portfolioDisaggregation } from "@/lib/server/portfolios";

type Ctx = { params: Promise<{ id: string }> };

/** GET → the owner's portfolio split per asset: grid, connection point, opaque location, volume, price, group; 404 for anyone else's. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  return jsonResponse(await portfolioDisaggregation(await getPrisma(), user, id));
});
