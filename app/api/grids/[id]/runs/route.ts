import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { listRuns, recordRun } from "@/lib/server/runs";
import { runInputSchema } from "@/lib/wire/dso";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { runs } the latest power flow summaries of the owner's grid. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  return jsonResponse({ runs: await listRuns(await getPrisma(), user, id) });
});

/** POST { status, converged, iterations, vmMinPu, ... } → 201 { run }. */
export const POST = apiRoute(async (req: Request, ctx: Ctx) => {
  const { user, id, prisma } = await requireOwnedGrid(req, ctx);
  const input = await readJson(req, runInputSchema);
  return jsonResponse({ run: await recordRun(prisma, user, id, input) }, { status: 201 });
});
