import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { publishStoredLightModel } from "@/lib/server/dso-light-models";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { getOwnedGrid } from "@/lib/server/grids";

type Ctx = { params: Promise<{ id: string; lightModelId: string }> };

/** POST → { lightModel } after publishing this stored model of the owner's grid (the previously published one is withdrawn). */
export const POST = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id, lightModelId } = await ctx.params;
  const prisma = await getPrisma();
  await getOwnedGrid(prisma, user, id);
  return jsonResponse({ lightModel: await publishStoredLightModel(prisma, id, lightModelId) });
});
