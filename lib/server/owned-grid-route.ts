import "server-only";
import { requireUser } from "./auth";
import { getPrisma } from "./db";
import { getOwnedGrid } from "./grids";

/**
 * The start of a route under /api/grids/[id] that acts on the caller's own grid: the
 * signed-in DSO (401/403 otherwise), the grid's id, the database and the grid (404 if
 * there is none, 403 if another operator owns it), in that order.
 */
export async function requireOwnedGrid(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const prisma = await getPrisma();
  const grid = await getOwnedGrid(prisma, user, id);
  return { user, id, prisma, grid };
}
