import { diagramData } from "@/components/diagram/diagram-data";
import { gridMapData } from "@/lib/map/map-data";
import { DEMO_LABEL, demoFlowJson, type DemoMapResponse } from "@/lib/map/demo-map";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { layoutForDemo } from "@/lib/server/grid-layouts";
import { demoFlows } from "@/lib/server/tso";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET [?run=<clearing run id>] → the demonstrator map of a DSO grid: its geometry and
 * the AC power flow with all bids activated ("before") and with the run's dispatch
 * ("after"). A grid without geography is drawn from its schematic layout (the DSO's stored
 * one, else computed and stored). 403 unless the grid's DSO has enabled demo mode; without
 * it the TSO has only the PCC exchange and the validation verdict.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  await requireUser(req, ["TSO"]);
  const { id } = await ctx.params;
  const runId = new URL(req.url).searchParams.get("run");
  const prisma = await getPrisma();
  const flows = await demoFlows(prisma, id, runId);
  const net = flows.side.network;
  const geographic = gridMapData(net);
  const map = geographic.bounds ? geographic : diagramData(net, await layoutForDemo(prisma, id, net));
  const body: DemoMapResponse = {
    label: DEMO_LABEL,
    gridId: id,
    gridName: flows.side.gridName,
    map,
    before: demoFlowJson(flows.before.flow, flows.before.activatedMw),
    after: flows.after ? demoFlowJson(flows.after.flow, flows.after.activatedMw) : null,
    runId: flows.after?.runId ?? null,
  };
  return jsonResponse(body);
});
