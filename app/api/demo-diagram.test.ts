import { beforeAll, describe, expect, it } from "vitest";
import type { DemoMap } from "@/lib/map/bcm-demo-map";
import type { DemoMapResponse } from "@/lib/map/demo-map";
import { parseGridFile } from "@/lib/grid";
import { getPrisma } from "@/lib/server/db";
import { apiRequest, gridForm, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { readSharedCase } from "@/lib/testing/shared";
import { DEFAULT_LIGHT_MODEL_OPTIONS } from "@/solver-worker/protocol";
import { runSensitivities } from "@/solver-worker/sensitivities";
import * as bcmMapRoute from "./bcm/grids/[id]/map/route";
import * as demoModeRoute from "./grids/[id]/demo-mode/route";
import * as layoutRoute from "./grids/[id]/layout/route";
import * as lightModelsRoute from "./grids/[id]/light-models/route";
import * as gridsRoute from "./grids/route";
import * as tsoDemoMapRoute from "./tso/grids/[id]/demo-map/route";

useTestDatabase();

// A MATPOWER grid without geography, published and shown in demo mode: the TSO's and the
// aggregators' demonstrator maps fall back to its network diagram.
let dso: string;
let tso: string;
let aggregator: string;
let gridId: string;
const net = parseGridFile("case33bw.m", readSharedCase("case33bw"));
const json = (body: unknown) => ({ body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });

beforeAll(async () => {
  [dso, tso, aggregator] = await Promise.all(["dso-bergwald", "tso", "agg-solarpool"].map(sessionCookie));
  const up = await gridsRoute.POST(apiRequest("POST", "/api/grids", { cookie: dso, body: gridForm("case33bw.m", readSharedCase("case33bw")) }));
  gridId = ((await up.json()) as { grid: { id: string } }).grid.id;
  const stored = await (await getPrisma()).grid.findUniqueOrThrow({ where: { id: gridId } });
  const lm = runSensitivities({ network: stored.networkJson, options: DEFAULT_LIGHT_MODEL_OPTIONS }, () => {}).lightModel!;
  const body = `{"lightModel":${lm.json},"key":${lm.keyJson},"publish":true}`;
  expect((await lightModelsRoute.POST(apiRequest("POST", "/", { cookie: dso, ...json(body) }), routeContext({ id: gridId }))).status).toBe(201);
  expect((await demoModeRoute.PUT(apiRequest("PUT", "/", { cookie: dso, ...json({ demoMode: true }) }), routeContext({ id: gridId }))).status).toBe(200);
});

describe("demonstrator maps of a grid without geography", () => {
  it("the TSO gets the network diagram's data: every branch between schematic positions, the power flows with their directions", async () => {
    expect(await (await getPrisma()).gridLayout.count({ where: { gridId } })).toBe(0);
    const res = await tsoDemoMapRoute.GET(apiRequest("GET", "/", { cookie: tso }), routeContext({ id: gridId }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as DemoMapResponse;
    expect(body.map.coordinates).toBe("schematic");
    expect(body.map.lines).toHaveLength(net.branches.length);
    expect(body.map.buses).toHaveLength(net.buses.length);
    expect(body.map.pcc).toMatchObject({ label: "PCC" });
    expect(body.map.bounds![0]).toBe(0);
    expect(body.before.pFromMw).toHaveLength(net.branches.length);
    expect(body.before.pFromMw.some((p) => p > 0)).toBe(true);
    // Computed once on the server and stored with the grid; the DSO reads the same layout.
    const row = await (await getPrisma()).gridLayout.findUniqueOrThrow({ where: { gridId } });
    expect(row).toMatchObject({ algorithm: "tidy-tree", busCount: 33, crossings: 0 });
    const own = (await (await layoutRoute.GET(apiRequest("GET", "/", { cookie: dso }), routeContext({ id: gridId }))).json()) as { layout: { x: number[] } };
    const slack = body.map.buses.find((b) => b.role === "pcc")!;
    expect(slack.position[0]).toBe(own.layout.x[slack.index]);
  });

  it("an aggregator gets the diagram's drawing, without the buses", async () => {
    const res = await bcmMapRoute.GET(apiRequest("GET", "/", { cookie: aggregator }), routeContext({ id: gridId }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { map: DemoMap; assets: unknown[] };
    expect(body.map.coordinates).toBe("schematic");
    expect(body.map.lines).toHaveLength(net.branches.length);
    expect(body.map.pcc).not.toBeNull();
    expect(Object.keys(body.map)).not.toContain("buses");
  });

  it("neither is served once the DSO switches demo mode off", async () => {
    expect((await demoModeRoute.PUT(apiRequest("PUT", "/", { cookie: dso, ...json({ demoMode: false }) }), routeContext({ id: gridId }))).status).toBe(200);
    expect((await tsoDemoMapRoute.GET(apiRequest("GET", "/", { cookie: tso }), routeContext({ id: gridId }))).status).toBe(403);
    expect((await bcmMapRoute.GET(apiRequest("GET", "/", { cookie: aggregator }), routeContext({ id: gridId }))).status).toBe(403);
  });
});
