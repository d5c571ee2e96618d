import { requireUser } from "@/lib/server/auth";
import { getBcmRun } from "@/lib/server/bcm";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { run } with the caller's own results; 404 when the caller's bids took no part in it. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  return jsonResponse({ run: await getBcmRun(await getPrisma(), user, id) });
});
