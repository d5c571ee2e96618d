import { setDemoMode } from "@/lib/server/dso-light-models";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { demoModeSchema } from "./schema";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { demoMode } of the owner's grid. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const { grid } = await requireOwnedGrid(req, ctx);
  return jsonResponse({ demoMode: grid.demoMode });
});

/** PUT { demoMode } → { demoMode }: let the TSO see this grid on its map (demonstrator), or stop it. */
export const PUT = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  const { demoMode } = await readJson(req, demoModeSchema);
  return jsonResponse({ demoMode: await setDemoMode(prisma, id, demoMode) });
});
