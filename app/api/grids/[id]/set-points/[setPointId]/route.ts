import { answerSetPoint, setPointAnswerSchema } from "@/lib/server/coordination";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string; setPointId: string }> };

/**
 * PATCH { status: "accepted" | "rejected", reason? } → { setPoint }: the DSO's answer to a
 * set-point of its grid. The strict body takes nothing else: the dispatch, voltages and
 * anything of the grid stay with the DSO. A rejection needs a reason; an answered set-point is final (409).
 */
export const PATCH = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  const { setPointId } = await ctx.params;
  const answer = await readJson(req, setPointAnswerSchema);
  return jsonResponse({ setPoint: await answerSetPoint(prisma, id, setPointId, answer) });
});
