import { beforeAll, describe, expect, it } from "vitest";
import { validateDispatch, type ClearingResult } from "@/lib/clearing";
import { parseNetworkJson, type Network } from "@/lib/grid";
import { getPrisma } from "@/lib/server/db";
import { publishedDsoSides } from "@/lib/server/market";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { decodeOperatingPoints, lightModelSchema, parseLightModel, type LightModel, type LightOperatingPoint } from "@/lib/sensitivity/light-model";
import type { DemoMapResponse } from "@/lib/map/demo-map";
import { runClear } from "@/solver-worker/clear";
import type { ClearResult } from "@/solver-worker/protocol";
import * as bidsRoute from "./bids/route";
import * as clearingsRoute from "./clearings/route";
import * as demoMapRoute from "./grids/[id]/demo-map/route";
import * as modelRoute from "./light-models/[id]/route";
import * as modelsRoute from "./light-models/route";
import * as relinRoute from "./relinearize/route";
import * as runsRoute from "./runs/route";
import * as validateRoute from "./validate/route";
import type { TsoBid, TsoValidation } from "@/lib/wire/tso";

useTestDatabase();

let tso: string;
let dso: string;
let aggregator: string;
let networks: Map<string, Network>;
let published: { id: string; gridId: string; gridName: string; dso: string; publishedAt: string; model: LightModel }[];
let market: { grids: { gridId: string; lightModelId: string; bids: TsoBid[] }[]; groups: { id: string }[] };
let cleared: ClearResult;
/** The clearing this file's validations, re-linearizations and run belong to (POST /api/tso/clearings). */
let clearingId: string;

const body = (value: unknown) => ({ body: JSON.stringify(value), headers: { "content-type": "application/json" } });
const get = async <T>(handler: (req: Request, ctx: never) => Promise<Response>, cookie: string, path = "/", params: Record<string, string> = {}) => {
  const res = await handler(apiRequest("GET", path, { cookie }), routeContext(params) as never);
  return { status: res.status, text: await res.clone().text(), json: (await res.json()) as T };
};
const validate = (grids: unknown[], iteration = 1) => validateRoute.POST(apiRequest("POST", "/api/tso/validate", { cookie: tso, ...body({ clearingId, iteration, grids }) }));

/** Every string the DSO keeps to itself: branch ids, bus names, FPU (asset) ids and building ids. */
function privateStrings(net: Network): string[] {
  return [...net.branches.map((b) => b.id), ...net.buses.flatMap((b) => (b.name ? [b.name] : [])), ...net.fpus.map((f) => f.id), ...net.loads.flatMap((l) => (l.buildingId ? [l.buildingId] : []))];
}

/** The private strings of the grids that occur as a whole JSON string in a response text. */
function leakedStrings(text: string): string[] {
  const quoted = new Set(Array.from(text.matchAll(/"((?:[^"\\]|\\.)*)"/g), (m) => m[1]));
  return [...networks.values()].flatMap(privateStrings).filter((s) => quoted.has(s));
}

/** Every key path of a JSON value ("a.b[].c"). */
function keyPaths(value: unknown, at = "", out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keyPaths(v, `${at}[]`, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${at}.${k}`);
      keyPaths(v, `${at}.${k}`, out);
    }
  }
  return out;
}

beforeAll(async () => {
  [tso, dso, aggregator] = await Promise.all(["tso", "dso-bergwald", "agg-solarpool"].map(sessionCookie));
  const prisma = await getPrisma();
  networks = new Map((await prisma.grid.findMany({ select: { id: true, networkJson: true } })).map((g) => [g.id, parseNetworkJson(g.networkJson)]));
  published = (await get<{ lightModels: typeof published }>(modelsRoute.GET, tso)).json.lightModels;
  const opened = await clearingsRoute.POST(apiRequest("POST", "/api/tso/clearings", { cookie: tso, ...body({ requestMw: 1.8 }) }));
  expect(opened.status).toBe(201);
  ({
    market,
    clearing: { id: clearingId },
  } = (await opened.json()) as { market: typeof market; clearing: { id: string } });
  expect(market).toEqual((await get<typeof market>(bidsRoute.GET, tso)).json);
  cleared = await runClear(
    {
      requestMw: 1.8,
      grids: published.map((m) => ({ gridId: m.gridId, lightModelJson: JSON.stringify(m.model), bids: market.grids.find((g) => g.gridId === m.gridId)!.bids })),
      groups: market.groups,
      options: { reactive: true },
    },
    () => {},
  );
});

describe("TSO routes: who may call them", () => {
  const calls = (cookie: string | undefined) => {
    const gridId = [...networks.keys()][0];
    return {
      "GET /api/tso/light-models": () => modelsRoute.GET(apiRequest("GET", "/", { cookie })),
      "GET /api/tso/light-models/[id]": () => modelRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: published[0].id })),
      "GET /api/tso/bids": () => bidsRoute.GET(apiRequest("GET", "/", { cookie })),
      "POST /api/tso/clearings": () => clearingsRoute.POST(apiRequest("POST", "/", { cookie, ...body({ requestMw: 1 }) })),
      "POST /api/tso/validate": () => validateRoute.POST(apiRequest("POST", "/", { cookie, ...body({ grids: [] }) })),
      "POST /api/tso/relinearize": () => relinRoute.POST(apiRequest("POST", "/", { cookie, ...body({}) })),
      "GET /api/tso/grids/[id]/demo-map": () => demoMapRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: gridId })),
      "GET /api/tso/runs": () => runsRoute.GET(apiRequest("GET", "/", { cookie })),
      "POST /api/tso/runs": () => runsRoute.POST(apiRequest("POST", "/", { cookie, ...body({}) })),
    };
  };

  it("answers 401 without a session and 403 to DSOs and aggregators, on every TSO route", async () => {
    for (const [name, call] of Object.entries(calls(undefined))) expect((await call()).status, name).toBe(401);
    for (const cookie of [dso, aggregator]) {
      for (const [name, call] of Object.entries(calls(cookie))) {
        const res = await call();
        expect(res.status, name).toBe(403);
        expect(((await res.json()) as { error: string }).error, name).toMatch(/needs the TSO role/);
      }
    }
  });
});

describe("GET /api/tso/light-models: the published light models and nothing else of the grids", () => {
  it("serves each published model with exactly the strict schema's fields, opaque ids only", async () => {
    const { text } = await get(modelsRoute.GET, tso);
    expect(published.map((m) => m.gridName)).toEqual(["Bergwald (generated district)", "Rheintal (generated district)"]);
    for (const entry of published) {
      expect(Object.keys(entry).sort()).toEqual(["dso", "gridId", "gridName", "id", "model", "publishedAt"]);
      // The strict schema rejects any field it does not know; re-parsed, the key set is unchanged.
      const reparsed = lightModelSchema.parse(entry.model);
      expect(keyPaths(entry.model)).toEqual(keyPaths(reparsed));
      expect(() => parseLightModel(entry.model)).not.toThrow();
      for (const id of entry.model.locations) expect(id).toMatch(/^L-[0-9a-f]{6}$/);
      for (const id of entry.model.monitoredBuses) expect(id).toMatch(/^V-[0-9a-f]{6}$/);
      for (const id of entry.model.monitoredBranches) expect(id).toMatch(/^B-[0-9a-f]{6}$/);
    }
    // No element name of either grid, no network field (impedances, coordinates, loads).
    expect(leakedStrings(text)).toEqual([]);
    for (const field of ["rPu", "xPu", "bPu", "lon", "lat", "pdMw", "qdMvar", "geometry", "buses", "branches", "fpus", "rateAMva"]) {
      expect(text).not.toContain(`"${field}"`);
    }
  });

  it("serves one published model as bare JSON, and 404 for anything else", async () => {
    const one = await get<LightModel>(modelRoute.GET, tso, "/", { id: published[1].id });
    expect(one.json).toEqual(published[1].model);
    const other = await get<{ error: string }>(modelRoute.GET, tso, "/", { id: published[1].gridId });
    expect(other.status).toBe(404);
  });
});

describe("GET /api/tso/bids: per-asset bids by opaque location", () => {
  it("carries only the TSO's fields, no asset ids and no buses", async () => {
    const { text } = await get(bidsRoute.GET, tso);
    const allowed = new Set(["id", "owner", "gridId", "location", "volumeMw", "priceEurPerMwh", "minActivationMw", "indivisible", "groupId", "qPerP"]);
    let n = 0;
    for (const g of market.grids) {
      const lm = published.find((m) => m.id === g.lightModelId)!.model;
      const locations = new Set(lm.locations);
      for (const b of g.bids) {
        n++;
        for (const k of Object.keys(b)) expect(allowed.has(k), k).toBe(true);
        expect(locations.has(b.location)).toBe(true);
        expect(b.gridId).toBe(g.gridId);
        // Opaque ids drawn at upload: the aggregators' own ids (e.g. "bw-agg-evfleet-ev-S3-up") name substations.
        expect(b.id).toMatch(/^X-[A-Za-z0-9_-]{12}$/);
        if (b.groupId !== undefined) expect(b.groupId).toMatch(/^G-[A-Za-z0-9_-]{12}$/);
      }
      expect(new Set(g.bids.map((b) => b.id)).size).toBe(g.bids.length);
    }
    expect(n).toBeGreaterThan(1000);
    expect(market.groups.length).toBeGreaterThan(0);
    expect(text).not.toContain("assetId");
    expect(text).not.toMatch(/bus:\d/);
    expect(text).not.toMatch(/-S\d+-(up|down)|agg-[a-z]+-[a-z]+-/);
    for (const g of market.groups) expect(g.id).toMatch(/^G-[A-Za-z0-9_-]{12}$/);
    for (const net of networks.values()) for (const f of net.fpus) expect(text.includes(f.id), f.id).toBe(false);
  });
});

describe("POST /api/tso/validate: the DSO side's verdict on a dispatch", () => {
  it("answers with metrics and critical elements by opaque id, equal to the DSO's own validation", async () => {
    expect(cleared.clearing.status).toBe("optimal");
    const request = published.map((m, k) => ({
      lightModelId: m.id,
      selectedIndex: cleared.clearing.grids[k].selectedIndex,
      locationMw: Array.from(cleared.clearing.grids[k].locationMw),
      locationMvar: Array.from(cleared.clearing.grids[k].locationMvar),
      reactive: cleared.clearing.stats.reactive,
    }));
    const res = await validate(request);
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    const { validations } = (await res.json()) as { validations: TsoValidation[] };
    const sides = await publishedDsoSides(await getPrisma());
    validations.forEach((v, k) => {
      const lm = published[k].model;
      expect(v.verdict).toBe("no violation");
      expect(v.violations).toBe(0);
      const ids = new Set([...lm.monitoredBuses, ...lm.monitoredBranches]);
      for (const e of [...v.criticalBuses, ...v.criticalBranches]) {
        expect(ids.has(e.id), e.id).toBe(true);
        expect(Object.keys(e).sort()).toEqual(["ac", "id", "linear"]);
      }
      const side = sides.find((s) => s.lightModelId === published[k].id)!;
      const clearing = { ...cleared.clearing, ...cleared.clearing.grids[k], stats: cleared.clearing.stats } as ClearingResult;
      const own = validateDispatch(side.network, side.key, side.model, decodeOperatingPoints(side.model), clearing);
      expect(v.vMaePu).toBe(own.vMaePu);
      expect(v.lRmsePct).toBe(own.lRmsePct);
      expect(v.criticalBranches.map((b) => b.ac)).toEqual(own.criticalBranches.map((b) => b.ac));
      expect(v.pcc.basePMw - v.pcc.pMw).toBeCloseTo(cleared.clearing.grids[k].totalMw, 1);
    });
    expect(leakedStrings(text)).toEqual([]);
  });

  it("refuses unknown light models, wrong shapes and forged added points with a clear message", async () => {
    const g = {
      lightModelId: published[0].id,
      selectedIndex: 1,
      locationMw: Array.from(cleared.clearing.grids[0].locationMw),
      locationMvar: Array.from(cleared.clearing.grids[0].locationMvar),
      reactive: true,
    };
    const cases: [unknown, number, RegExp][] = [
      [{ ...g, lightModelId: "nope" }, 400, /^grids\[0\]: light model nope is not one this clearing was opened with$/],
      [{ ...g, locationMw: [1, 2] }, 400, /^grids\[0\]: the dispatch has 2 active and \d+ reactive values; the light model has \d+ locations/],
      [{ ...g, selectedIndex: 3 }, 400, /selectedIndex 3: the light model has 3 operating points/],
      [{ ...g, addedOperatingPoints: [{ ...published[0].model.operatingPoints[0], id: "op-3" }] }, 400, /addedOperatingPoints must be the points this clearing's re-linearizations returned, in order/],
      [{ ...g, reactive: "yes" }, 400, /^grids\.0\.reactive: /],
    ];
    for (const [grid, status, message] of cases) {
      const res = await validate([grid]);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const none = await validate([]);
    expect(((await none.json()) as { error: string }).error).toBe("grids: name at least one grid");
  });
});

describe("POST /api/tso/relinearize: a new operating point at the dispatch, not stored", () => {
  it("returns one light-model operating point under the published ids; the point validates the dispatch exactly", async () => {
    const prisma = await getPrisma();
    const before = await prisma.lightModel.findMany({ select: { id: true, modelJson: true } });
    const k = 0;
    const req = {
      clearingId,
      lightModelId: published[k].id,
      locationMw: Array.from(cleared.clearing.grids[k].locationMw),
      locationMvar: Array.from(cleared.clearing.grids[k].locationMvar),
      pointIndex: 3,
      iteration: 1,
    };
    const res = await relinRoute.POST(apiRequest("POST", "/", { cookie: tso, ...body(req) }));
    expect(res.status).toBe(200);
    const operatingPoint = (await res.json()) as LightOperatingPoint;
    expect(operatingPoint.id).toBe("op-3");
    expect(operatingPoint.label).toBe("re-linearized at the dispatch of iteration 1");
    expect(operatingPoint.pFlexMw).toEqual(req.locationMw.map((x) => expect.closeTo(x, 12)));
    const extended = parseLightModel({ ...published[k].model, operatingPoints: [...published[k].model.operatingPoints, operatingPoint] });
    expect(extended.operatingPoints).toHaveLength(4);
    // The dispatch is the new point itself: the linear prediction there is the AC power flow.
    const v = await validate([{ ...req, clearingId: undefined, pointIndex: undefined, iteration: undefined, selectedIndex: 3, reactive: true, addedOperatingPoints: [operatingPoint] }]);
    const [exact] = ((await v.json()) as { validations: TsoValidation[] }).validations;
    expect(exact.vMaxErrPu).toBeLessThan(1e-9);
    expect(exact.lMaxErrPct).toBeLessThan(1e-7);
    expect(await prisma.lightModel.findMany({ select: { id: true, modelJson: true } })).toEqual(before);

    const early = await relinRoute.POST(apiRequest("POST", "/", { cookie: tso, ...body({ ...req, pointIndex: 2 }) }));
    expect(early.status).toBe(400);
    expect(((await early.json()) as { error: string }).error).toMatch(/pointIndex 2: the published model already has 3 points/);
  });
});

describe("the demonstrator map and the clearing runs", () => {
  const demoMap = (gridId: string, cookie = tso, run?: string) =>
    get<DemoMapResponse & { error?: string }>(demoMapRoute.GET, cookie, `/api/tso/grids/${gridId}/demo-map${run ? `?run=${run}` : ""}`, { id: gridId });

  it("serves the map only while the DSO's demo mode is on (403 otherwise), labelled as the demonstrator", async () => {
    const prisma = await getPrisma();
    const gridId = published[0].gridId;
    await prisma.grid.update({ where: { id: gridId }, data: { demoMode: false } });
    const off = await demoMap(gridId);
    expect(off.status).toBe(403);
    expect(off.json.error).toMatch(/has not enabled the demonstrator mode/);
    expect(off.text).not.toContain("geometry");
    await prisma.grid.update({ where: { id: gridId }, data: { demoMode: true } });
    const on = await demoMap(gridId);
    expect(on.status).toBe(200);
    expect(on.json.label).toBe("Demonstrator mode — enabled by the DSO");
    expect(on.json.map.lines.length).toBeGreaterThan(100);
    expect(on.json.before.congested).toBeGreaterThan(0); // every upward bid at once congests the district
    expect(on.json.before.loadingPct).toHaveLength(networks.get(gridId)!.branches.length);
    expect(on.json.after).toBeNull();
    // What demo mode shows is the grid itself (and the leak detector above sees it).
    expect(leakedStrings(on.text).length).toBeGreaterThan(100);
    for (const cookie of [dso, aggregator]) expect((await demoMap(gridId, cookie)).status).toBe(403);
    expect((await demoMap("no-such-grid")).status).toBe(404);
  });

  it("stores a clearing run, lists it, and draws its dispatch on the demo map without congestion", async () => {
    const c = cleared.clearing;
    const run = {
      clearingId,
      requestMw: 1.8,
      verified: false,
      reactive: true,
      status: c.status,
      message: c.message,
      totalMw: c.totalMw,
      objectiveEur: c.objectiveEur,
      grids: published.map((m, k) => ({
        gridId: m.gridId,
        lightModelId: m.id,
        selectedOperatingPoint: c.grids[k].selectedOperatingPoint,
        selectedLabel: cleared.grids[k].selectedLabel,
        locationMw: Array.from(c.grids[k].locationMw),
        locationMvar: Array.from(c.grids[k].locationMvar),
        totalMw: c.grids[k].totalMw,
      })),
      dispatch: c.dispatch,
      validation: [],
      iterations: [{ iteration: 1, status: c.status, totalMw: c.totalMw, objectiveEur: c.objectiveEur, violations: 0, vMaxErrPu: null, lMaxErrPct: null, action: "validated" }],
      solveMs: c.solveMs,
    };
    const post = (value: unknown) => runsRoute.POST(apiRequest("POST", "/", { cookie: tso, ...body(value) }));
    const bad = await post({ ...run, grids: [{ ...run.grids[0], locationMw: [1] }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^grids\[0\]: the dispatch has 1 active and \d+ reactive values/);
    const wrongGrid = await post({ ...run, grids: [{ ...run.grids[0], gridId: run.grids[1].gridId }] });
    expect(((await wrongGrid.json()) as { error: string }).error).toMatch(/^grids\[0\]: light model .* is not one this clearing was opened with/);

    const res = await post(run);
    expect(res.status).toBe(201);
    const { run: stored } = (await res.json()) as { run: { id: string; totalMw: number; iterations: number } };
    expect(stored).toMatchObject({ totalMw: c.totalMw, iterations: 1 });
    const twice = await post(run);
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as { error: string }).error).toBe(`clearing ${clearingId} is already stored as run ${stored.id}`);
    const list = await get<{ runs: { id: string; by: string }[] }>(runsRoute.GET, tso);
    expect(list.json.runs[0]).toMatchObject({ id: stored.id, by: "tso" });

    const map = await demoMap(published[0].gridId, tso, stored.id);
    expect(map.json.runId).toBe(stored.id);
    expect(map.json.after!.congested).toBe(0);
    expect(map.json.after!.activatedMw).toBeCloseTo(c.grids[0].totalMw, 9);
    expect(map.json.before.congested).toBeGreaterThan(0);
    expect((await demoMap(published[0].gridId, tso, "nope")).status).toBe(404);
  });
});
