import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { deleteOwnedGrid, getOwnedGridSummary, renameOwnedGrid } from "@/lib/server/grids";
import { readJson } from "@/lib/server/request";
import { renameGridSchema } from "./schema";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { grid } summary of the owner's grid; 403 for anyone else. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  return jsonResponse({ grid: await getOwnedGridSummary(await getPrisma(), user, id) });
});

/** DELETE → 204 after removing the owner's grid and its runs. */
export const DELETE = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  await deleteOwnedGrid(await getPrisma(), user, id);
  return new Response(null, { status: 204 });
});

/** PATCH { name } → { grid }: rename the owner's grid; 409 when another published grid has that name. */
export const PATCH = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const { name } = await readJson(req, renameGridSchema);
  return jsonResponse({ grid: await renameOwnedGrid(await getPrisma(), user, id, name) });
});
