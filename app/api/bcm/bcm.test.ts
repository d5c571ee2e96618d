import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { clearMarket } from "@/lib/clearing";
import { nodeHighs } from "@/lib/clearing/highs-node";
import { fpuOfferMw } from "@/lib/grid/types";
import { reaggregate, writeAggregatedBidsCsv, type AggregatedBid, type AggregatedResult } from "@/lib/market";
import { getPrisma } from "@/lib/server/db";
import { DEMO_PASSWORD } from "@/lib/server/demo-data";
import { publishedDsoSides, type DsoSide } from "@/lib/server/market";
import { marketNow } from "@/lib/server/market-now";
import { hashPassword } from "@/lib/server/password";
import { apiRequest, freeUnits, gridForm, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { databaseSnapshot } from "@/lib/testing/db-snapshot";
import { readCsvRows } from "@/lib/util/csv";
import type { DemoMap, DemoMapAsset } from "@/lib/map/bcm-demo-map";
import * as portfoliosRoute from "../portfolios/route";
import * as dsoBidsRoute from "../dso/bids/route";
import * as mapRoute from "./grids/[id]/map/route";
import * as runRoute from "./run/route";
import * as csvRoute from "./runs/[id]/results.csv/route";
import * as runDetailRoute from "./runs/[id]/route";
import * as runsRoute from "./runs/route";
import type { BcmRunDetail, BcmRunSummary, DsoGridBids } from "@/lib/wire/bcm";

useTestDatabase();

const BERGWALD = "Bergwald (generated district)";
const RHEINTAL = "Rheintal (generated district)";
const TOL = 1e-9;
let evfleet: string;
let storage: string;
let tso: string;
let dsoBergwald: string;
let dsoRheintal: string;
/** An aggregator account without any portfolio. */
let newcomer: string;
let sides: DsoSide[];
let bergwaldId: string;

beforeAll(async () => {
  const prisma = await getPrisma();
  await prisma.user.create({
    data: { id: randomUUID(), username: "agg-newcomer", displayName: "Newcomer", role: "AGGREGATOR", passwordHash: await hashPassword(DEMO_PASSWORD) },
  });
  [evfleet, storage, tso, dsoBergwald, dsoRheintal, newcomer] = await Promise.all(["agg-evfleet", "agg-storage", "tso", "dso-bergwald", "dso-rheintal", "agg-newcomer"].map(sessionCookie));
  sides = await publishedDsoSides(prisma);
  bergwaldId = sides.find((s) => s.gridName === BERGWALD)!.gridId;
  // agg-evfleet adds a cheap EV pool in Bergwald, so its results must show an activation; its
  // demo portfolio gives those units up first (a unit's volume is capped over all portfolios).
  const evs = sides
    .find((s) => s.gridId === bergwaldId)!
    .network.fpus.filter((f) => f.kind === "ev" && fpuOfferMw(f).upMw > 1e-6)
    .slice(0, 3);
  await freeUnits("agg-evfleet", "Demo portfolio", new Set(evs.map((f) => f.id)));
  const total = evs.reduce((s, f) => s + fpuOfferMw(f).upMw, 0);
  const pool: AggregatedBid = {
    id: "evfleet-cheap-pool",
    owner: "agg-evfleet",
    direction: "up",
    volumeMw: total,
    priceEurPerMwh: 1,
    assets: evs.map((f) => ({ assetId: f.id, grid: BERGWALD, volumeMw: fpuOfferMw(f).upMw })),
  };
  const res = await portfoliosRoute.POST(apiRequest("POST", "/api/portfolios", { cookie: evfleet, body: gridForm("cheap.csv", writeAggregatedBidsCsv([pool])) }));
  expect(res.status, await res.clone().text()).toBe(201);
});

const post = (cookie: string | undefined, body: unknown) => runRoute.POST(apiRequest("POST", "/api/bcm/run", { cookie, body: JSON.stringify(body), headers: { "content-type": "application/json" } }));
const runs = (cookie: string | undefined) => runsRoute.GET(apiRequest("GET", "/api/bcm/runs", { cookie }));
const detail = (cookie: string | undefined, id: string) => runDetailRoute.GET(apiRequest("GET", `/api/bcm/runs/${id}`, { cookie }), routeContext({ id }));
const csv = (cookie: string | undefined, id: string) => csvRoute.GET(apiRequest("GET", `/api/bcm/runs/${id}/results.csv`, { cookie }), routeContext({ id }));
const map = (cookie: string | undefined, id: string) => mapRoute.GET(apiRequest("GET", `/api/bcm/grids/${id}/map`, { cookie }), routeContext({ id }));
const dsoBids = (cookie: string | undefined) => dsoBidsRoute.GET(apiRequest("GET", "/api/dso/bids", { cookie }));

async function runAs(cookie: string, requestMw: number): Promise<BcmRunDetail> {
  const res = await post(cookie, { requestMw });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { run: BcmRunDetail }).run;
}

function expectConserved(results: AggregatedResult[]) {
  for (const r of results) {
    const sum = r.assets.reduce((s, a) => s + a.activatedMw, 0);
    expect(Math.abs(sum - r.activatedMw), r.bidId).toBeLessThan(TOL);
    expect(Math.abs(r.fraction * r.offeredMw - r.activatedMw), r.bidId).toBeLessThan(TOL);
  }
}

describe("BCM routes: who may do what", () => {
  it("answers 401 anonymously, 403 to the TSO and DSOs on the aggregator routes and to aggregators and the TSO on the DSO route; nothing changes", async () => {
    const run = await runAs(evfleet, 1.8);
    const before = await databaseSnapshot();
    const aggregatorCalls = (c: string | undefined) => [post(c, { requestMw: 1.8 }), runs(c), detail(c, run.id), csv(c, run.id), map(c, bergwaldId)];
    for (const res of [...aggregatorCalls(undefined), dsoBids(undefined)]) expect((await res).status).toBe(401);
    for (const c of [tso, dsoBergwald]) {
      for (const res of aggregatorCalls(c)) {
        const r = await res;
        expect(r.status).toBe(403);
        expect(((await r.json()) as { error: string }).error).toMatch(/needs the AGGREGATOR role/);
      }
    }
    for (const c of [tso, evfleet]) {
      const r = await dsoBids(c);
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: string }).error).toMatch(/needs the DSO role/);
    }
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("refuses bad requests with the field named and stores no run", async () => {
    const before = await databaseSnapshot();
    for (const [body, message] of [
      [{}, /requestMw: requestMw must be a number/],
      [{ requestMw: "1.8" }, /requestMw must be a number/],
      [{ requestMw: 0 }, /must not be 0/],
      [{ requestMw: 5000 }, /within ±1000 MW/],
    ] as const) {
      const res = await post(evfleet, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const raw = await runRoute.POST(apiRequest("POST", "/api/bcm/run", { cookie: evfleet, body: "1.8", headers: { "content-type": "application/json" } }));
    expect(raw.status).toBe(400);
    const none = await post(newcomer, { requestMw: 1.8 });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toBe("you have no bids on the platform; upload a portfolio first");
    expect(await databaseSnapshot()).toEqual(before);
  });
});

describe("BCM run on the server", () => {
  let run: BcmRunDetail;
  beforeAll(async () => {
    run = await runAs(evfleet, 1.8);
  });

  it("clears 1.8 MW optimally and answers with the caller's own re-aggregated results only, conserved per bid", async () => {
    expect(run.status).toBe("optimal");
    expect(run.message).toMatch(/^optimal: 1\.800000 MW activated over all bids/);
    expect(run.message).not.toMatch(/€/);
    expect(Math.abs(run.marketTotalMw - 1.8)).toBeLessThan(TOL);
    expect(run.startedByYou).toBe(true);
    expect(run.results.length).toBeGreaterThan(0);
    expect(new Set(run.results.map((r) => r.owner))).toEqual(new Set(["agg-evfleet"]));
    expectConserved(run.results);
    const cheap = run.results.find((r) => r.bidId === "evfleet-cheap-pool")!;
    expect(cheap.activatedMw).toBeGreaterThan(0);
    expect(cheap.assets.every((a) => a.grid === BERGWALD && /^bus:\d+$/.test(a.location))).toBe(true);
    expect(Math.abs(run.own.activatedMw - run.results.reduce((s, r) => s + r.activatedMw, 0))).toBeLessThan(TOL);
    expect(run.runMs).toBeGreaterThan(run.clearMs);
    console.log(`BCM run on the server, 1.8 MW over the demo portfolios: ${run.runMs.toFixed(0)} ms (clearing and re-aggregation ${run.clearMs.toFixed(0)} ms)`);
  });

  it("stores the whole market's results: they add up to P_E and equal clearing the disaggregated bids directly", async () => {
    const prisma = await getPrisma();
    const row = await prisma.clearingRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row).toMatchObject({ kind: "bcm", status: "optimal", requestMw: 1.8 });
    const stored = JSON.parse(row.resultJson) as { results: AggregatedResult[]; participants: string[] };
    expect(new Set(stored.participants)).toEqual(new Set(["agg-solarpool", "agg-evfleet", "agg-heatflex", "agg-storage"]));
    expect(Math.abs(stored.results.reduce((s, r) => s + r.activatedMw, 0) - 1.8)).toBeLessThan(TOL);
    expectConserved(stored.results);
    const m = (await marketNow(prisma)).market;
    const aggregated = m.aggregated;
    const direct = clearMarket(
      await nodeHighs(),
      m.grids.map((g, k) => ({ gridId: g.gridId, lightModel: sides[k].model, bids: g.bids })),
      1.8,
      { groups: m.groups },
    );
    const expected = reaggregate(aggregated, m.dis, direct.dispatch);
    expect(stored.results.map((r) => [r.bidId, r.activatedMw])).toEqual(expected.map((r) => [r.bidId, r.activatedMw]));
  });

  it("shows another participant the run with its own results only, and a non-participant nothing (404)", async () => {
    const listed = (await (await runs(storage)).json()) as { runs: BcmRunSummary[] };
    const mine = listed.runs.find((r) => r.id === run.id)!;
    expect(mine).toMatchObject({ startedByYou: false, status: "optimal" });
    const theirs = (await (await detail(storage, run.id)).json()) as { run: BcmRunDetail };
    expect(new Set(theirs.run.results.map((r) => r.owner))).toEqual(new Set(["agg-storage"]));
    expect(JSON.stringify(theirs)).not.toMatch(/evfleet/);
    const theirCsv = await (await csv(storage, run.id)).text();
    expect(theirCsv).not.toMatch(/evfleet/);

    expect(((await (await runs(newcomer)).json()) as { runs: unknown[] }).runs).toEqual([]);
    for (const res of [await detail(newcomer, run.id), await csv(newcomer, run.id), await detail(evfleet, "no-such-run")]) {
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/no bid congestion manager run with id .* has results of yours/);
    }
  });

  it("serves the caller's results as CSV: one row per asset, conserved, own bids only", async () => {
    const res = await csv(evfleet, run.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="bcm-results-agg-evfleet-\d{14}\.csv"$/);
    const all: string[][] = [];
    readCsvRows(await res.text(), (r) => all.push(r.cells));
    const [header, ...rows] = all;
    expect(header.join(",")).toBe("bidId,owner,direction,priceEURperMWh,offeredMW,activatedMW,fraction,costEUR,assetId,grid,location,assetOfferedMW,assetActivatedMW");
    const col = Object.fromEntries(header.map((c, k) => [c, k]));
    expect(rows.length).toBe(run.results.reduce((s, r) => s + r.assets.length, 0));
    const sums = new Map<string, { total: number; assets: number }>();
    for (const r of rows) {
      expect(r[col.owner]).toBe("agg-evfleet");
      const s = sums.get(r[col.bidId]) ?? { total: Number(r[col.activatedMW]), assets: 0 };
      s.assets += Number(r[col.assetActivatedMW]);
      sums.set(r[col.bidId], s);
    }
    for (const [bid, s] of sums) expect(Math.abs(s.assets - s.total), bid).toBeLessThan(TOL);
  });

  it("answers an undeliverable request with the infeasibility message and the deliverable maximum, nothing activated", async () => {
    const big = await runAs(evfleet, 500);
    expect(big.status).toBe("infeasible");
    expect(big.message).toMatch(/^infeasible: 500 MW cannot be delivered — the bids offer only [\d.]+ MW upward/);
    expect(big.maxDeliverableMw).toBeGreaterThan(1.8);
    expect(big.own.activatedMw).toBe(0);
    expect(big.results.every((r) => r.activatedMw === 0)).toBe(true);
  });

  it("leaves out a portfolio whose grid lost its published light model, telling its owner why", async () => {
    const prisma = await getPrisma();
    const rheintal = sides.find((s) => s.gridName === RHEINTAL)!;
    await prisma.lightModel.update({ where: { id: rheintal.lightModelId }, data: { published: false } });
    try {
      const r = await runAs(evfleet, 0.01);
      expect(r.status).toBe("optimal");
      expect(r.skipped).toEqual([{ portfolio: "Demo portfolio", reason: expect.stringMatching(new RegExp(`no grid with id '${rheintal.gridId}' is on the market`)) }]);
      expect(r.results.map((x) => x.bidId)).toEqual(["evfleet-cheap-pool"]);
      const other = (await (await detail(storage, r.id)).json()) as { run: BcmRunDetail };
      expect(other.run.skipped.map((s) => s.portfolio)).toEqual(["Demo portfolio"]);
      expect(other.run.results).toEqual([]);
      const alone = await post(storage, { requestMw: 0.01 });
      expect(alone.status).toBe(400);
      expect(((await alone.json()) as { error: string }).error).toMatch(/^none of your portfolios can be placed in a published grid: Demo portfolio: .*no grid with id .* is on the market/);
    } finally {
      await prisma.lightModel.update({ where: { id: rheintal.lightModelId }, data: { published: true } });
    }
  });
});

describe("DSO view of the bids", () => {
  it("gives each DSO the per-asset bids located in its own grid only, without prices", async () => {
    const prisma = await getPrisma();
    for (const [cookie, name] of [
      [dsoBergwald, BERGWALD],
      [dsoRheintal, RHEINTAL],
    ] as const) {
      const res = await dsoBids(cookie);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).not.toMatch(/price/i);
      const { grids } = JSON.parse(text) as { grids: DsoGridBids[] };
      expect(grids.map((g) => [g.gridName, g.published])).toEqual([[name, true]]);
      const side = sides.find((s) => s.gridName === name)!;
      const busOf = new Map(side.network.fpus.map((f) => [f.id, f.bus]));
      const m = (await marketNow(prisma)).market;
      expect(grids[0].bids.length).toBe(m.grids.find((g) => g.gridId === side.gridId)!.bids.length);
      for (const b of grids[0].bids) expect(b.connection, b.assetId).toBe(`bus:${busOf.get(b.assetId)}`);
      expect(grids[0].aggregators).toEqual(["agg-evfleet", "agg-heatflex", "agg-solarpool", "agg-storage"]);
      expect(grids[0].bids.some((b) => b.aggregatedBidId === "evfleet-cheap-pool")).toBe(name === BERGWALD);
    }
  });
});

describe("demo-mode map", () => {
  it("draws a demo-mode grid with the caller's own connection points and no electrical data", async () => {
    const res = await map(evfleet, bergwaldId);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    for (const key of ["rPu", "xPu", "pdMw", "qdMvar", "baseKv", "ratingMva", "rateAMva", "typeName", "lengthKm", "lon", "lat", "buildingId"]) {
      expect(text, key).not.toContain(`"${key}"`);
    }
    const body = JSON.parse(text) as { grid: { id: string; name: string }; map: DemoMap; assets: DemoMapAsset[] };
    expect(body.grid).toEqual({ id: bergwaldId, name: BERGWALD, demoMode: true });
    expect(body.map.lines.length).toBeGreaterThan(100);
    expect(body.map.buildings.length).toBeGreaterThan(100);
    const side = sides.find((s) => s.gridId === bergwaldId)!;
    const evBuses = new Set(side.network.fpus.filter((f) => f.kind === "ev").map((f) => `bus:${f.bus}`));
    expect(body.assets.length).toBeGreaterThan(10);
    for (const a of body.assets) expect(evBuses.has(a.connection), a.connection).toBe(true);
    // StorageCo's units are batteries: its map marks its own connection points, not agg-evfleet's.
    const other = (await (await map(storage, bergwaldId)).json()) as { assets: DemoMapAsset[] };
    const batteryBuses = new Set(side.network.fpus.filter((f) => f.kind === "battery").map((f) => `bus:${f.bus}`));
    expect(other.assets.every((a) => batteryBuses.has(a.connection))).toBe(true);
  });

  it("refuses the map when the DSO has not enabled demo mode (403) and for unknown grids (404)", async () => {
    const prisma = await getPrisma();
    await prisma.grid.update({ where: { id: bergwaldId }, data: { demoMode: false } });
    try {
      const res = await map(evfleet, bergwaldId);
      const text = await res.text();
      expect(res.status).toBe(403);
      expect(JSON.parse(text)).toEqual({ error: `the DSO of ${BERGWALD} has not enabled demo mode; its grid is not drawn outside the DSO`, code: "forbidden" });
    } finally {
      await prisma.grid.update({ where: { id: bergwaldId }, data: { demoMode: true } });
    }
    const none = await map(evfleet, "no-such-grid");
    expect(none.status).toBe(404);
  });
});
