import { storedLightModelJson } from "@/lib/server/dso-light-models";
import { apiRoute } from "@/lib/server/errors";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string; lightModelId: string }> };

/** GET → the stored light model as a JSON download: exactly what crosses the boundary when published (never the key). */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  const { lightModelId } = await ctx.params;
  const text = await storedLightModelJson(prisma, id, lightModelId);
  return new Response(text, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="light-model-${lightModelId}.json"`,
      "cache-control": "no-store",
    },
  });
});
