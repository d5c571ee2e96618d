import { listGridSetPoints } from "@/lib/server/coordination";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { setPoints }: the PCC set-points the TSO sent for the owner's grid's regions (newest first). */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  return jsonResponse({ setPoints: await listGridSetPoints(prisma, id) });
});
