import { requireUser } from "@/lib/server/auth";
import { deleteTransmissionGrid } from "@/lib/server/coordination";
import { getPrisma } from "@/lib/server/db";
import { apiRoute } from "@/lib/server/errors";

type Ctx = { params: Promise<{ id: string }> };

/** DELETE → 204: the owner's transmission grid with its coordination runs and set-points; 404 for anyone else. */
export const DELETE = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["TSO"]);
  const { id } = await ctx.params;
  await deleteTransmissionGrid(await getPrisma(), user, id);
  return new Response(null, { status: 204 });
});
