import { requireUser } from "@/lib/server/auth";
import { listGridSetPoints } from "@/lib/server/coordination";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { getOwnedGrid } from "@/lib/server/grids";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { setPoints }: the PCC set-points the TSO sent for the owner's grid's regions (newest first). */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const prisma = await getPrisma();
  await getOwnedGrid(prisma, user, id);
  return jsonResponse({ setPoints: await listGridSetPoints(prisma, id) });
});
