import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { deleteOwnPortfolio, getOwnPortfolio } from "@/lib/server/portfolios";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { portfolio, bids } the owner's portfolio with its aggregated bids as uploaded; 404 for anyone else's. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  const { summary, bids } = await getOwnPortfolio(await getPrisma(), user, id);
  return jsonResponse({ portfolio: summary, bids });
});

/** DELETE → 204 after removing the owner's portfolio (stored BCM runs keep their results). */
export const DELETE = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  await deleteOwnPortfolio(await getPrisma(), user, id);
  return new Response(null, { status: 204 });
});
