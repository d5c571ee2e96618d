import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { ApiError, apiRoute } from "@/lib/server/errors";
import { publishedLightModelBytes } from "@/lib/server/market";

type Ctx = { params: Promise<{ id: string }> };

/** GET → one published light model as bare JSON, its stored text as it is (what the TSO view hands to its solver worker unparsed). */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  await requireUser(req, ["TSO"]);
  const { id } = await ctx.params;
  const model = await publishedLightModelBytes(await getPrisma(), id);
  if (!model) throw new ApiError("not_found", `light model ${id} is not published`);
  return new Response(model, { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
});
