import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute } from "@/lib/server/errors";
import { getOwnedGridNetwork } from "@/lib/server/grids";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET → the network as project JSON (flexplat-network v1), owner only. DSO-private:
 * topology, impedances, coordinates and loads. The browser hands the text to the
 * solver worker without parsing it on the main thread.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const network = await getOwnedGridNetwork(await getPrisma(), user, id);
  // A copy off the shared buffer (a response body cannot be shared memory): a memcpy, no decoding.
  return new Response(new Uint8Array(network), {
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "private, no-store" },
  });
});
