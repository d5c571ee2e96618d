import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareDso } from "@/lib/clearing/dso";
import { parseNetworkJson, writeNetworkJson } from "@/lib/grid";
import { fpuOfferMw } from "@/lib/grid/types";
import { writeAggregatedBidsCsv, type AggregatedBid } from "@/lib/market";
import { getPrisma } from "@/lib/server/db";
import { publishedDsoSides, type DsoSide } from "@/lib/server/market";
import { apiRequest, freeUnits, gridForm, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { databaseSnapshot } from "@/lib/testing/db-snapshot";
import * as runRoute from "./bcm/run/route";
import * as csvRoute from "./bcm/runs/[id]/results.csv/route";
import * as dsoBidsRoute from "./dso/bids/route";
import * as gridRoute from "./grids/[id]/route";
import * as lightModelsRoute from "./grids/[id]/light-models/route";
import * as publishRoute from "./grids/[id]/light-models/[lightModelId]/publish/route";
import * as gridsRoute from "./grids/route";
import * as disaggregationRoute from "./portfolios/[id]/disaggregation/route";
import * as portfoliosRoute from "./portfolios/route";
import * as tsoBidsRoute from "./tso/bids/route";
import type { BcmRunDetail, DsoGridBids, PortfolioDisaggregation } from "@/lib/wire/bcm";
import type { TsoMarket } from "@/lib/wire/tso";

// The attacks of issue 19 on the market, each tried as an attacker would with the demo
// accounts; each must now fail with a clear message and leave everyone else's work running.

useTestDatabase();

const BERGWALD = "Bergwald (generated district)";
const RHEINTAL = "Rheintal (generated district)";
let evfleet: string;
let storage: string;
let tso: string;
let dsoBergwald: string;
let dsoRheintal: string;
let sides: DsoSide[];
let bergwald: DsoSide;
/** agg-evfleet's EV units in Bergwald with an upward offer; the first 12 are taken out of its demo portfolio. */
let evs: { id: string; upMw: number; bus: number }[];

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const upload = (cookie: string, fileName: string, text: string) => portfoliosRoute.POST(apiRequest("POST", "/api/portfolios", { cookie, body: gridForm(fileName, text) }));
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;
const runBcm = (cookie: string, requestMw = 1.8) => runRoute.POST(apiRequest("POST", "/api/bcm/run", { cookie, ...json({ requestMw }) }));
const tsoBids = () => tsoBidsRoute.GET(apiRequest("GET", "/api/tso/bids", { cookie: tso }));
const dsoBids = (cookie: string) => dsoBidsRoute.GET(apiRequest("GET", "/api/dso/bids", { cookie }));

function bid(id: string, owner: string, assets: { assetId: string; volumeMw: number; grid?: string; location?: string }[], priceEurPerMwh = 5): AggregatedBid {
  const volumeMw = assets.reduce((s, a) => s + a.volumeMw, 0);
  return { id, owner, direction: volumeMw > 0 ? "up" : "down", volumeMw, priceEurPerMwh, assets: assets.map((a) => ({ grid: BERGWALD, ...a })) };
}

beforeAll(async () => {
  [evfleet, storage, tso, dsoBergwald, dsoRheintal] = await Promise.all(["agg-evfleet", "agg-storage", "tso", "dso-bergwald", "dso-rheintal"].map(sessionCookie));
  sides = await publishedDsoSides(await getPrisma());
  bergwald = sides.find((s) => s.gridName === BERGWALD)!;
  evs = bergwald.network.fpus.filter((f) => f.owner === "agg-evfleet" && f.kind === "ev" && fpuOfferMw(f).upMw > 1e-6).map((f) => ({ id: f.id, upMw: fpuOfferMw(f).upMw, bus: f.bus }));
  await freeUnits("agg-evfleet", "Demo portfolio", new Set(evs.slice(0, 12).map((u) => u.id)));
});

describe("one aggregator cannot stop the market", () => {
  it("refuses an aggregated bid 'pp' next to a one-asset bid 'pp/<asset>' at upload: bid ids have a safe alphabet", async () => {
    const before = await databaseSnapshot();
    const [a, b] = evs;
    const csv = writeAggregatedBidsCsv([
      bid("pp", "agg-evfleet", [
        { assetId: a.id, volumeMw: a.upMw / 2 },
        { assetId: b.id, volumeMw: b.upMw },
      ]),
      bid(`pp/${a.id}`, "agg-evfleet", [{ assetId: a.id, volumeMw: a.upMw / 2 }]),
    ]);
    const res = await upload(evfleet, "pp.csv", csv);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe(`pp.csv line 4: bid id "pp/${a.id}" is not allowed (letters, digits, '.', '_' and '-' only, starting with a letter or digit, at most 80 characters)`);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("skips a bad portfolio already in the database for its owner, with the reason, and keeps the BCM, the TSO's bids and the DSOs' view running for everyone", async () => {
    const prisma = await getPrisma();
    const owner = await prisma.user.findUniqueOrThrow({ where: { username: "agg-storage" } });
    const [a, b] = evs.slice(10, 12);
    // The data of the attack, as an older release stored it: 'pp' with assets next to 'pp/<asset>', and a unit that is not agg-storage's.
    const broken = [
      bid("pp", "agg-storage", [
        { assetId: a.id, volumeMw: a.upMw / 2, grid: bergwald.gridId },
        { assetId: b.id, volumeMw: b.upMw, grid: bergwald.gridId },
      ]),
      bid(`pp/${a.id}`, "agg-storage", [{ assetId: a.id, volumeMw: a.upMw / 2, grid: bergwald.gridId }]),
    ];
    const id = randomUUID();
    await prisma.bidPortfolio.create({ data: { id, ownerId: owner.id, name: "broken", fileName: "broken.csv", bidsJson: JSON.stringify(broken), bidCount: 2, version: 2 } });
    // …and one that reuses a bid id of an earlier portfolio.
    const demoBid = (JSON.parse((await prisma.bidPortfolio.findFirstOrThrow({ where: { name: "Demo portfolio", ownerId: owner.id } })).bidsJson) as AggregatedBid[])[0];
    const dup = randomUUID();
    await prisma.bidPortfolio.create({ data: { id: dup, ownerId: owner.id, name: "duplicate", fileName: "dup.json", bidsJson: JSON.stringify([demoBid]), bidCount: 1, version: 2 } });
    try {
      const others = await runBcm(evfleet);
      expect(others.status, await others.clone().text()).toBe(201);
      const run = ((await others.json()) as { run: BcmRunDetail }).run;
      expect(run.status).toBe("optimal");
      expect(run.skipped).toEqual([]);
      const mine = await runBcm(storage);
      expect(mine.status).toBe(201);
      const skipped = ((await mine.json()) as { run: BcmRunDetail }).run.skipped;
      expect(skipped).toEqual([
        { portfolio: "broken", reason: `aggregated bid 2: bid id "pp/${a.id}" is not allowed (letters, digits, '.', '_' and '-' only, starting with a letter or digit, at most 80 characters)` },
        { portfolio: "duplicate", reason: `bid id '${demoBid.id}' is also in a portfolio stored earlier` },
      ]);
      const market = await tsoBids();
      expect(market.status).toBe(200);
      const tsoIds = ((await market.json()) as TsoMarket).grids.flatMap((g) => g.bids.map((x) => x.id));
      expect(tsoIds.length).toBeGreaterThan(1000);
      for (const cookie of [dsoBergwald, dsoRheintal]) expect((await dsoBids(cookie)).status).toBe(200);
      const view = (await (await disaggregationRoute.GET(apiRequest("GET", `/api/portfolios/${id}/disaggregation`, { cookie: storage }), routeContext({ id }))).json()) as PortfolioDisaggregation;
      expect(view).toMatchObject({ placeable: false, problem: expect.stringMatching(/^aggregated bid 2: bid id "pp\//) });
    } finally {
      await prisma.bidPortfolio.deleteMany({ where: { id: { in: [id, dup] } } });
    }
  });

  it("skips a stored portfolio that would take a unit beyond its offer after the portfolios stored before it, telling only its owner", async () => {
    const prisma = await getPrisma();
    const owner = await prisma.user.findUniqueOrThrow({ where: { username: "agg-evfleet" } });
    const taken = evs[20]; // still fully offered in agg-evfleet's demo portfolio
    const id = randomUUID();
    const over = [bid("evfleet-over", "agg-evfleet", [{ assetId: taken.id, volumeMw: taken.upMw, grid: bergwald.gridId }])];
    await prisma.bidPortfolio.create({ data: { id, ownerId: owner.id, name: "over", fileName: "over.csv", bidsJson: JSON.stringify(over), bidCount: 1, version: 2 } });
    try {
      const mine = ((await (await runBcm(evfleet)).json()) as { run: BcmRunDetail }).run;
      expect(mine.skipped).toEqual([
        { portfolio: "over", reason: `unit ${taken.id} in ${BERGWALD}: ${(2 * taken.upMw).toFixed(6)} MW upward over your portfolios exceeds what the unit offers (${taken.upMw.toFixed(6)} MW)` },
      ]);
      const theirs = ((await (await runBcm(storage)).json()) as { run: BcmRunDetail }).run;
      expect(theirs.skipped).toEqual([]);
    } finally {
      await prisma.bidPortfolio.delete({ where: { id } });
    }
  });

  it("lets only one of two uploads with the same bid id at the same moment through; the database refuses a second row with that id", async () => {
    const before = await (await getPrisma()).bidPortfolio.count();
    const [a, b] = evs.slice(0, 2);
    const file = (u: (typeof evs)[number]) => writeAggregatedBidsCsv([bid("evfleet-same-moment", "agg-evfleet", [{ assetId: u.id, volumeMw: u.upMw }])]);
    const results = await Promise.all([upload(evfleet, "a.csv", file(a)), upload(evfleet, "b.csv", file(b))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(await errorOf(results.find((r) => r.status === 400)!)).toMatch(/: bid id 'evfleet-same-moment' is already used on the platform$/);
    const prisma = await getPrisma();
    expect(await prisma.bidPortfolio.count()).toBe(before + 1);
    const portfolioId = (await prisma.portfolioBid.findUniqueOrThrow({ where: { id: "evfleet-same-moment" } })).portfolioId;
    await expect(prisma.portfolioBid.create({ data: { id: "evfleet-same-moment", portfolioId } })).rejects.toThrow(/Unique constraint/);
    expect((await runBcm(evfleet)).status).toBe(201);
  });

  it("lets only one of two uploads at the same moment take a unit's last megawatt", async () => {
    const u = evs[2];
    const file = (id: string) => writeAggregatedBidsCsv([bid(id, "agg-evfleet", [{ assetId: u.id, volumeMw: u.upMw }])]);
    const results = await Promise.all([upload(evfleet, "c.csv", file("evfleet-race-c")), upload(evfleet, "d.csv", file("evfleet-race-d"))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(await errorOf(results.find((r) => r.status === 400)!)).toMatch(new RegExp(`unit ${u.id} in ${BERGWALD.replace(/[()]/g, "\\$&")}: .* in your stored portfolios exceed what the unit offers`));
    const rows = await (await getPrisma()).assetBid.findMany({ where: { gridId: bergwald.gridId, unitId: u.id } });
    expect(rows.reduce((s, r) => s + r.volumeMw, 0)).toBeCloseTo(u.upMw, 12);
  });
});

describe("flexibility that does not exist cannot win", () => {
  it("refuses 500 MW at a bus:<n> location, a unit of another aggregator and a unit that does not exist with one message that reveals nothing of the unit", async () => {
    const before = await databaseSnapshot();
    const theirs = bergwald.network.fpus.find((f) => f.owner === "agg-evfleet" && f.kind === "ev")!;
    const location = `bus:${theirs.bus}`;
    const attempts: [string, AggregatedBid][] = [
      ["500 MW at a bus", bid("storage-bus", "agg-storage", [{ assetId: "x", location, volumeMw: 500 }])],
      ["an EV of agg-evfleet", bid("storage-ev", "agg-storage", [{ assetId: theirs.id, volumeMw: 500 }])],
      ["a little of that EV", bid("storage-ev2", "agg-storage", [{ assetId: theirs.id, volumeMw: 0.001 }])],
      ["a unit that does not exist", bid("storage-none", "agg-storage", [{ assetId: "ev-b9999", volumeMw: 0.001 }])],
    ];
    const messages: string[] = [];
    for (const [what, b] of attempts) {
      const res = await upload(storage, "p.csv", writeAggregatedBidsCsv([b]));
      expect(res.status, what).toBe(400);
      const message = (await errorOf(res)).replace(b.assets[0].assetId, "<asset>").replace(b.id, "<bid>");
      expect(message, what).not.toMatch(/MW|bus|location/);
      messages.push(message);
    }
    expect(new Set(messages)).toEqual(new Set([`p.csv: aggregated bid <bid>, asset <asset>: not one of your units in ${BERGWALD}`]));
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("caps a unit over all portfolios: the first stored keeps its volume, a later upload is refused naming what is free", async () => {
    const u = evs[3];
    const first = await upload(evfleet, "first.csv", writeAggregatedBidsCsv([bid("evfleet-first", "agg-evfleet", [{ assetId: u.id, volumeMw: u.upMw * 0.6 }])]));
    expect(first.status).toBe(201);
    const second = await upload(evfleet, "second.csv", writeAggregatedBidsCsv([bid("evfleet-second", "agg-evfleet", [{ assetId: u.id, volumeMw: u.upMw * 0.6 }])]));
    expect(second.status).toBe(400);
    expect(await errorOf(second)).toBe(
      `second.csv: unit ${u.id} in ${BERGWALD}: ${(u.upMw * 0.6).toFixed(6)} MW upward in this file and ${(u.upMw * 0.6).toFixed(6)} MW in your stored portfolios ` +
        `exceed what the unit offers (${u.upMw.toFixed(6)} MW); a unit's volume goes to the portfolio stored first — delete or replace that one to offer it here`,
    );
    const rest = await upload(evfleet, "rest.csv", writeAggregatedBidsCsv([bid("evfleet-rest", "agg-evfleet", [{ assetId: u.id, volumeMw: u.upMw * 0.4 }])]));
    expect(rest.status).toBe(201);
  });
});

describe("grids are bound by id", () => {
  let copyId: string;

  async function publishCopy(cookie: string, gridId: string): Promise<Response> {
    const prisma = await getPrisma();
    const { networkJson } = await prisma.grid.findUniqueOrThrow({ where: { id: gridId } });
    const { dso, lightModel } = prepareDso(parseNetworkJson(networkJson), { salt: randomUUID() });
    return lightModelsRoute.POST(apiRequest("POST", `/api/grids/${gridId}/light-models`, { cookie, ...json({ lightModel, key: dso.key, publish: true }) }), routeContext({ id: gridId }));
  }

  beforeAll(async () => {
    // dso-rheintal uploads a copy of Bergwald's district under Bergwald's name (allowed: names are unique only on the market).
    const res = await gridsRoute.POST(apiRequest("POST", "/api/grids", { cookie: dsoRheintal, body: gridForm("copy.json", writeNetworkJson(bergwald.network), BERGWALD) }));
    expect(res.status, await res.clone().text()).toBe(201);
    copyId = ((await res.json()) as { grid: { id: string } }).grid.id;
  });

  it("refuses to publish a grid under a name another published grid holds (409), storing nothing", async () => {
    await (await getPrisma()).grid.update({ where: { id: copyId }, data: { name: "  bergwald   (Generated District) " } });
    const before = await databaseSnapshot();
    const res = await publishCopy(dsoRheintal, copyId);
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toBe(`another grid on the market is already published as '${BERGWALD}'; rename this grid before publishing it`);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("keeps each DSO's bids its own when another DSO publishes a copy and the first republishes", async () => {
    const rename = await gridRoute.PATCH(apiRequest("PATCH", `/api/grids/${copyId}`, { cookie: dsoRheintal, ...json({ name: "Bergwald copy" }) }), routeContext({ id: copyId }));
    expect(rename.status).toBe(200);
    expect((await publishCopy(dsoRheintal, copyId)).status).toBe(201);
    expect((await publishCopy(dsoBergwald, bergwald.gridId)).status).toBe(201);
    const mine = ((await (await dsoBids(dsoBergwald)).json()) as { grids: DsoGridBids[] }).grids;
    const theirs = ((await (await dsoBids(dsoRheintal)).json()) as { grids: DsoGridBids[] }).grids;
    expect(mine.find((g) => g.gridName === BERGWALD)!.bids.length).toBeGreaterThan(1000);
    expect(theirs.find((g) => g.gridId === copyId)).toMatchObject({ gridName: "Bergwald copy", published: true, bids: [] });
    expect(theirs.find((g) => g.gridName === RHEINTAL)!.bids.length).toBeGreaterThan(0);
    // A rename onto a published name is refused as well.
    const onto = await gridRoute.PATCH(apiRequest("PATCH", `/api/grids/${copyId}`, { cookie: dsoRheintal, ...json({ name: "BERGWALD (generated district)" }) }), routeContext({ id: copyId }));
    expect(onto.status).toBe(409);
    expect(await errorOf(onto)).toMatch(/^another grid on the market is already published as 'Bergwald \(generated district\)'; rename this grid or keep its name$/);
    // The earlier published copy is still republishable (a stored model, by its id).
    const lm = await (await getPrisma()).lightModel.findFirstOrThrow({ where: { gridId: copyId } });
    const again = await publishRoute.POST(apiRequest("POST", "/", { cookie: dsoRheintal }), routeContext({ id: copyId, lightModelId: lm.id }));
    expect(again.status).toBe(200);
  });
});

describe("CSV formula injection", () => {
  it("writes a DSO-chosen grid name that starts with '=' into an aggregator's results as text", async () => {
    const formula = '=HYPERLINK("http://evil.example/phish","Bergwald")';
    const rename = await gridRoute.PATCH(apiRequest("PATCH", `/api/grids/${bergwald.gridId}`, { cookie: dsoBergwald, ...json({ name: formula }) }), routeContext({ id: bergwald.gridId }));
    expect(rename.status).toBe(200);
    try {
      const run = ((await (await runBcm(evfleet)).json()) as { run: BcmRunDetail }).run;
      const csv = await (await csvRoute.GET(apiRequest("GET", `/api/bcm/runs/${run.id}/results.csv`, { cookie: evfleet }), routeContext({ id: run.id }))).text();
      expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example/phish"",""Bergwald"")",`);
      for (const line of csv.split("\n")) for (const cell of line.split(",")) expect(cell, line).not.toMatch(/^"?[=+@]/);
    } finally {
      await gridRoute.PATCH(apiRequest("PATCH", `/api/grids/${bergwald.gridId}`, { cookie: dsoBergwald, ...json({ name: BERGWALD }) }), routeContext({ id: bergwald.gridId }));
    }
  });
});
