import { requireUser } from "@/lib/server/auth";
import { getOwnedTransmissionGrid } from "@/lib/server/coordination";
import { getPrisma } from "@/lib/server/db";
import { apiRoute } from "@/lib/server/errors";

type Ctx = { params: Promise<{ id: string }> };

/** GET → the owner's transmission grid as project JSON (for the coordination in its browser's solver worker); 404 for anyone else. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["TSO"]);
  const { id } = await ctx.params;
  const grid = await getOwnedTransmissionGrid(await getPrisma(), user, id);
  return new Response(grid.networkJson, { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
});
