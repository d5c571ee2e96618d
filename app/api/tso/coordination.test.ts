import { beforeAll, describe, expect, it } from "vitest";
import { parseGridFile, writeNetworkJson } from "@/lib/grid";
import { publishPqRegion } from "@/lib/regions/published";
import { getPrisma } from "@/lib/server/db";
import { apiRequest, gridForm, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { readSharedCase } from "@/lib/testing/shared";
import { runCoordinate } from "@/solver-worker/coordination";
import { runRegionPrepare } from "@/solver-worker/region";
import type { CoordinateResult, RegionJobOptions } from "@/solver-worker/protocol";
import * as gridRoute from "@/app/api/grids/[id]/route";
import * as gridNetworkRoute from "@/app/api/grids/[id]/network/route";
import * as gridsRoute from "@/app/api/grids/route";
import * as regionsRoute from "@/app/api/grids/[id]/regions/route";
import * as setPointsRoute from "@/app/api/grids/[id]/set-points/route";
import * as answerRoute from "@/app/api/grids/[id]/set-points/[setPointId]/route";
import * as runsRoute from "./coordination-runs/route";
import * as tsNetworkRoute from "./transmission-grids/[id]/network/route";
import * as tsGridRoute from "./transmission-grids/[id]/route";
import * as tsGridsRoute from "./transmission-grids/route";

useTestDatabase();

const PQ: RegionJobOptions = { units: "auto", der: { pShare: 0.25, qShare: 0.15 }, closeTies: false, methods: ["lds", "slc"], directions: 8, epsilonSteps: 0 };
const STORED = { kind: "pq", units: "auto", der: PQ.der, closeTies: false } as const;
const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" } });

let tso: string;
let bergwald: string;
let rheintal: string;
let aggregator: string;
let tsId: string;
/** One case33mg feeder per DSO, each with a published U_SLC (with its cost) and the options it was built with. */
const dsos: { cookie: string; gridId: string; regionId: string }[] = [];
let coordinated: CoordinateResult;
let slcRegion: ReturnType<typeof publishPqRegion>;

const uploadTs = (cookie: string, fileName: string, text: string) => tsGridsRoute.POST(apiRequest("POST", "/api/tso/transmission-grids", { cookie, body: gridForm(fileName, text) }));
const postRun = (cookie: string, body: unknown) => runsRoute.POST(apiRequest("POST", "/api/tso/coordination-runs", { cookie, ...json(body) }));
const answer = (cookie: string, gridId: string, setPointId: string, body: unknown) => answerRoute.PATCH(apiRequest("PATCH", "/", { cookie, ...json(body) }), routeContext({ id: gridId, setPointId }));
const counts = async () => {
  const prisma = await getPrisma();
  return { runs: await prisma.coordinationRun.count(), setPoints: await prisma.setPoint.count() };
};

beforeAll(async () => {
  [tso, bergwald, rheintal, aggregator] = await Promise.all(["tso", "dso-bergwald", "dso-rheintal", "agg-storage"].map(sessionCookie));
  const feeder = readSharedCase("case33mg");
  const prepared = await runRegionPrepare({ network: writeNetworkJson(parseGridFile("case33mg.m", feeder)), options: PQ }, () => {});
  for (const cookie of [bergwald, rheintal]) {
    const up = await gridsRoute.POST(apiRequest("POST", "/api/grids", { cookie, body: gridForm("case33mg.m", feeder) }));
    const gridId = ((await up.json()) as { grid: { id: string } }).grid.id;
    const region = publishPqRegion(prepared.summary.pcc, "slc", prepared.slc!.polygon, prepared.slc!.areaMW2, {
      halfSpaces: prepared.lds!.halfSpaces,
      lossModel: prepared.slc!.lossModel,
      costModel: prepared.costModels.slc!,
    });
    slcRegion = region;
    const res = await regionsRoute.POST(apiRequest("POST", "/", { cookie, ...json({ region, publish: true, options: STORED }) }), routeContext({ id: gridId }));
    expect(res.status).toBe(201);
    dsos.push({ cookie, gridId, regionId: ((await res.json()) as { region: { id: string } }).region.id });
  }
}, 120_000);

describe("a region published with its cost and problem options", () => {
  it("is refused when the cost does not go with the method, names anything, or the options are of the other kind or name a field too many; nothing stored", async () => {
    const prisma = await getPrisma();
    const before = await prisma.flexRegion.count();
    const post = (body: unknown) => regionsRoute.POST(apiRequest("POST", "/", { cookie: bergwald, ...json(body) }), routeContext({ id: dsos[0].gridId }));
    const cases: [unknown, RegExp][] = [
      [{ region: { ...slcRegion, costModel: { ...slcRegion.costModel!, basis: "ac-fit" } }, publish: true }, /region\.costModel\.basis: the cost of a 'slc' region is 'loss-compensated-balance'/],
      [{ region: { ...slcRegion, costModel: { ...slcRegion.costModel!, unit: "der-18" } }, publish: true }, /region\.costModel/],
      [{ region: { ...slcRegion, costModel: { ...slcRegion.costModel!, coefficients: [1] } }, publish: true }, /one coefficient per exponent pair/],
      [{ region: slcRegion, publish: true, options: { ...STORED, kind: "pqv" } }, /options/],
      [{ region: slcRegion, publish: true, options: { ...STORED, busIds: [18] } }, /options/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(await prisma.flexRegion.count()).toBe(before);
  });
});

describe("the TSO's transmission grid", () => {
  it("is refused without gencost, naming the generators, and nothing is stored", async () => {
    const text = readSharedCase("case30").replace(/mpc\.gencost\s*=\s*\[[\s\S]*?\];/, "");
    const res = await uploadTs(tso, "case30.m", text);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/6 in-service generators without a cost .*mpc\.gencost/);
    expect(await (await getPrisma()).transmissionGrid.count()).toBe(0);
  });

  it("is stored under the TSO; DSOs and aggregators are refused on its routes and a DSO's grid routes answer 404 for its id", async () => {
    const res = await uploadTs(tso, "case30.m", readSharedCase("case30"));
    expect(res.status).toBe(201);
    const grid = ((await res.json()) as { grid: { id: string; busCount: number; pccBuses: number[] } }).grid;
    expect(grid).toMatchObject({ busCount: 30 });
    tsId = grid.id;
    for (const cookie of [bergwald, aggregator]) {
      expect((await uploadTs(cookie, "case30.m", readSharedCase("case30"))).status).toBe(403);
      expect((await tsGridsRoute.GET(apiRequest("GET", "/", { cookie }))).status).toBe(403);
      expect((await tsNetworkRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: tsId }))).status).toBe(403);
    }
    // The DSO's own routes know only the DSO's grids: the transmission grid is not one of them.
    expect((await gridRoute.GET(apiRequest("GET", "/", { cookie: bergwald }), routeContext({ id: tsId }))).status).toBe(404);
    expect((await gridNetworkRoute.GET(apiRequest("GET", "/", { cookie: bergwald }), routeContext({ id: tsId }))).status).toBe(404);
    const list = await (await gridsRoute.GET(apiRequest("GET", "/", { cookie: bergwald }))).text();
    expect(list).not.toContain(tsId);
    const net = await tsNetworkRoute.GET(apiRequest("GET", "/", { cookie: tso }), routeContext({ id: tsId }));
    expect(net.status).toBe(200);
    coordinated = runCoordinate(
      {
        network: await net.text(),
        assignments: dsos.map((d, k) => ({ regionId: d.regionId, label: `feeder ${k + 1}`, tsBus: [3, 4][k], region: regionOf(k) })),
        replaceDemand: false,
      },
      () => {},
    );
    expect(coordinated.status).toBe("optimal");
  });
});

let published: Map<string, string>;
function regionOf(k: number) {
  return JSON.parse(published.get(dsos[k].regionId)!);
}
beforeAll(async () => {
  const rows = await (await getPrisma()).flexRegion.findMany({ where: { id: { in: dsos.map((d) => d.regionId) } }, select: { id: true, regionJson: true } });
  published = new Map(rows.map((r) => [r.id, r.regionJson]));
});

const runBody = (setPoints = coordinated.setPoints, status = coordinated.status) => ({
  transmissionGridId: tsId,
  replaceDemand: false,
  result: {
    status,
    message: coordinated.message,
    objective: coordinated.objective,
    tsCostPerH: coordinated.tsCostPerH,
    iterations: coordinated.iterations,
    solveMs: coordinated.solveMs,
    binding: coordinated.binding,
  },
  setPoints: setPoints.map(({ regionId, tsBus, label, pMw, qMvar, vPu, dsCostPerH, lmpP, lmpQ, onBoundary }) => ({ regionId, tsBus, label, pMw, qMvar, vPu, dsCostPerH, lmpP, lmpQ, onBoundary })),
});

describe("sending set-points and the DSOs' answers", () => {
  it("refuses an unknown PCC bus, an unpublished region, an infeasible run, another role, and stores nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [runBody(coordinated.setPoints.map((s, k) => (k === 0 ? { ...s, tsBus: 99 } : s))), /PCC bus 99 is not a bus of case30/],
      [runBody(coordinated.setPoints.map((s, k) => (k === 1 ? { ...s, regionId: "no-such-region" } : s))), /not a published region/],
      [runBody(coordinated.setPoints, "infeasible"), /ended 'infeasible'.*no set-point can be sent/],
      [{ ...runBody(), transmissionGridId: "nope" }, /no transmission grid with id nope/],
    ];
    for (const [body, message] of cases) {
      const res = await postRun(tso, body);
      expect(res.status, JSON.stringify(message)).toBeGreaterThanOrEqual(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    for (const cookie of [bergwald, aggregator]) expect((await postRun(cookie, runBody())).status).toBe(403);
    expect(await counts()).toEqual({ runs: 0, setPoints: 0 });
  });

  it("stores the run and one set-point per region; each DSO sees only its own, answers with status and reason, and the TSO sees the answers", async () => {
    const res = await postRun(tso, runBody());
    expect(res.status).toBe(201);
    expect(await counts()).toEqual({ runs: 1, setPoints: 2 });
    const mine = async (k: number) =>
      (
        (await (await setPointsRoute.GET(apiRequest("GET", "/", { cookie: dsos[k].cookie }), routeContext({ id: dsos[k].gridId }))).json()) as {
          setPoints: { id: string; pMw: number; options: unknown; status: string }[];
        }
      ).setPoints;
    const [a, b] = [await mine(0), await mine(1)];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0].pMw).toBeCloseTo(coordinated.setPoints[0].pMw, 9);
    expect(a[0].options).toEqual(STORED);
    // Another DSO, the TSO and aggregators cannot read a grid's set-points or answer them.
    for (const cookie of [rheintal, tso, aggregator]) {
      expect((await setPointsRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: dsos[0].gridId }))).status).toBe(403);
      expect((await answer(cookie, dsos[0].gridId, a[0].id, { status: "accepted" })).status).toBe(403);
    }
    // A set-point of another grid is not found under this one.
    expect((await answer(bergwald, dsos[0].gridId, b[0].id, { status: "accepted" })).status).toBe(404);
    // Only status and reason cross: any other field is refused, and a rejection needs a reason.
    expect((await answer(bergwald, dsos[0].gridId, a[0].id, { status: "accepted", dispatch: [1, 2] })).status).toBe(400);
    expect((await answer(rheintal, dsos[1].gridId, b[0].id, { status: "rejected" })).status).toBe(400);
    expect((await answer(bergwald, dsos[0].gridId, a[0].id, { status: "accepted" })).status).toBe(200);
    expect((await answer(bergwald, dsos[0].gridId, a[0].id, { status: "rejected", reason: "changed my mind" })).status).toBe(409);
    expect((await answer(rheintal, dsos[1].gridId, b[0].id, { status: "rejected", reason: "a planned outage at the PCC transformer" })).status).toBe(200);

    const runs = await runsRoute.GET(apiRequest("GET", "/", { cookie: tso }));
    const text = await runs.text();
    const view = (JSON.parse(text) as { runs: { setPoints: { tsBus: number; status: string; reason: string | null }[] }[] }).runs;
    expect(view[0].setPoints.map((s) => [s.tsBus, s.status, s.reason])).toEqual([
      [3, "accepted", null],
      [4, "rejected", "a planned outage at the PCC transformer"],
    ]);
    // The DSO's problem options (units, DER shares) never reach the TSO.
    expect(text).not.toMatch(/"options"|"der"|pShare|"units"/);
    for (const cookie of [bergwald, aggregator]) expect((await runsRoute.GET(apiRequest("GET", "/", { cookie }))).status).toBe(403);
  });

  it("deleting the transmission grid takes its runs and set-points with it (owner only)", async () => {
    expect((await tsGridRoute.DELETE(apiRequest("DELETE", "/", { cookie: bergwald }), routeContext({ id: tsId }))).status).toBe(403);
    expect((await tsGridRoute.DELETE(apiRequest("DELETE", "/", { cookie: tso }), routeContext({ id: tsId }))).status).toBe(204);
    expect(await counts()).toEqual({ runs: 0, setPoints: 0 });
  });
});
