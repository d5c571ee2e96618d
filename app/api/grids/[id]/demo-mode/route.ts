import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { setDemoMode } from "@/lib/server/dso-light-models";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { getOwnedGrid } from "@/lib/server/grids";
import { readJson } from "@/lib/server/request";
import { demoModeSchema } from "./schema";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { demoMode } of the owner's grid. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const grid = await getOwnedGrid(await getPrisma(), user, id);
  return jsonResponse({ demoMode: grid.demoMode });
});

/** PUT { demoMode } → { demoMode }: let the TSO see this grid on its map (demonstrator), or stop it. */
export const PUT = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const prisma = await getPrisma();
  await getOwnedGrid(prisma, user, id);
  const { demoMode } = await readJson(req, demoModeSchema);
  return jsonResponse({ demoMode: await setDemoMode(prisma, id, demoMode) });
});
