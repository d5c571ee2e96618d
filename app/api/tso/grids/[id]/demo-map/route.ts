import { gridMapData } from "@/components/map/map-data";
import { DEMO_LABEL, demoFlowJson, type DemoMapResponse } from "@/components/tso/demo-map-data";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { demoFlows } from "@/lib/server/tso";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET [?run=<clearing run id>] → the demonstrator map of a DSO grid: its geometry and
 * the AC power flow with all bids activated ("before") and with the run's dispatch
 * ("after"). 403 unless the grid's DSO has enabled demo mode; without it the TSO has
 * only the PCC exchange and the validation verdict.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  await requireUser(req, ["TSO"]);
  const { id } = await ctx.params;
  const runId = new URL(req.url).searchParams.get("run");
  const flows = await demoFlows(await getPrisma(), id, runId);
  const body: DemoMapResponse = {
    label: DEMO_LABEL,
    gridId: id,
    gridName: flows.side.gridName,
    map: gridMapData(flows.side.network),
    before: demoFlowJson(flows.before.flow, flows.before.activatedMw),
    after: flows.after ? demoFlowJson(flows.after.flow, flows.after.activatedMw) : null,
    runId: flows.after?.runId ?? null,
  };
  return jsonResponse(body);
});
