import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute } from "@/lib/server/errors";
import { getOwnedGrid } from "@/lib/server/grids";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET → the network as project JSON (flexplat-network v1), owner only. DSO-private:
 * topology, impedances, coordinates and loads. The browser hands the text to the
 * solver worker without parsing it on the main thread.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const grid = await getOwnedGrid(await getPrisma(), user, id);
  return new Response(grid.networkJson, {
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "private, no-store" },
  });
});
