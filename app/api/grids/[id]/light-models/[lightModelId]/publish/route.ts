import { publishStoredLightModel } from "@/lib/server/dso-light-models";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string; lightModelId: string }> };

/** POST → { lightModel } after publishing this stored model of the owner's grid (the previously published one is withdrawn). */
export const POST = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  const { lightModelId } = await ctx.params;
  return jsonResponse({ lightModel: await publishStoredLightModel(prisma, id, lightModelId) });
});
