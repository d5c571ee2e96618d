import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { demoMap } from "@/lib/server/tso";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET [?run=<clearing run id>] → the demonstrator map of a DSO grid: its geometry and
 * the AC power flow with all bids activated ("before") and with the run's dispatch
 * ("after"). A grid without geography is drawn from its schematic layout (the DSO's stored
 * one, else computed and stored). 403 unless the grid's DSO has enabled demo mode; without
 * it the TSO has only the PCC exchange and the validation verdict. The power flows and the
 * drawing run on the server's worker pool (lib/server/tso-side.ts).
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  await requireUser(req, ["TSO"]);
  const { id } = await ctx.params;
  const runId = new URL(req.url).searchParams.get("run");
  return jsonResponse(await demoMap(await getPrisma(), id, runId));
});
