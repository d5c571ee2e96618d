import { beforeAll, describe, expect, it } from "vitest";
import { fpuOfferMw } from "@/lib/grid/types";
import { parseAggregatedBidsCsv, writeAggregatedBidsCsv, type AggregatedBid } from "@/lib/market";
import { getPrisma } from "@/lib/server/db";
import { publishedDsoSides } from "@/lib/server/market";
import { apiRequest, freeUnits, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { databaseSnapshot } from "@/lib/testing/db-snapshot";
import * as disaggregationRoute from "./[id]/disaggregation/route";
import * as portfolioRoute from "./[id]/route";
import * as portfoliosRoute from "./route";
import * as templateRoute from "./template/route";
import type { PortfolioSummary, PortfolioDisaggregation } from "@/lib/wire/bcm";
import { MAX_PORTFOLIO_BYTES } from "@/lib/limits/uploads";

useTestDatabase();

const BERGWALD = "Bergwald (generated district)";
let evfleet: string;
let storage: string;
let tso: string;
let dso: string;
/** Bergwald's EV units: id, bus and upward offer (MW); the first 20 are taken out of agg-evfleet's demo portfolio. */
let evUnits: { id: string; bus: number; upMw: number }[];
/** Units of agg-storage in Bergwald, taken out of its demo portfolio for the example portfolio. */
let storageUnits: string[];

beforeAll(async () => {
  [evfleet, storage, tso, dso] = await Promise.all(["agg-evfleet", "agg-storage", "tso", "dso-bergwald"].map(sessionCookie));
  const side = (await publishedDsoSides(await getPrisma())).find((s) => s.gridName === BERGWALD)!;
  evUnits = side.network.fpus
    .filter((f) => f.kind === "ev")
    .map((f) => ({ id: f.id, bus: f.bus, upMw: fpuOfferMw(f).upMw }))
    .filter((u) => u.upMw > 1e-6);
  storageUnits = side.network.fpus
    .filter((f) => f.owner === "agg-storage")
    .slice(0, 5)
    .map((f) => f.id);
  // A unit's volume is capped over all portfolios: free some units of the demo portfolios to offer them here.
  await freeUnits("agg-evfleet", "Demo portfolio", new Set(evUnits.slice(0, 20).map((u) => u.id)));
  await freeUnits("agg-storage", "Demo portfolio", new Set(storageUnits));
});

/** Each tag its own four free EV units, so the portfolios of one test file do not compete for a unit. */
const TAG_UNITS: Record<string, number> = { csv: 0, json: 4, bad: 8, gone: 12, anon: 16, raw: 16 };

function form(fileName: string, text: string | Uint8Array, name?: string): FormData {
  const f = new FormData();
  f.set("file", new File([text as BlobPart], fileName, { type: "text/plain" }));
  if (name) f.set("name", name);
  return f;
}

const upload = (cookie: string | undefined, body: BodyInit, headers: Record<string, string> = {}) => portfoliosRoute.POST(apiRequest("POST", "/api/portfolios", { cookie, body, headers }));
const list = async (cookie: string) => ((await (await portfoliosRoute.GET(apiRequest("GET", "/api/portfolios", { cookie }))).json()) as { portfolios: PortfolioSummary[] }).portfolios;
const getOne = (cookie: string | undefined, id: string) => portfolioRoute.GET(apiRequest("GET", `/api/portfolios/${id}`, { cookie }), routeContext({ id }));
const deleteOne = (cookie: string | undefined, id: string) => portfolioRoute.DELETE(apiRequest("DELETE", `/api/portfolios/${id}`, { cookie }), routeContext({ id }));
const disaggregation = (cookie: string | undefined, id: string) => disaggregationRoute.GET(apiRequest("GET", `/api/portfolios/${id}/disaggregation`, { cookie }), routeContext({ id }));
const template = (cookie: string | undefined) => templateRoute.GET(apiRequest("GET", "/api/portfolios/template", { cookie }));

/** An EV pool of agg-evfleet on Bergwald: three units by share at 40 €/MWh with a joint minimum, and a plain single-unit bid. */
function evPortfolio(tag: string, over: Partial<AggregatedBid> = {}): AggregatedBid[] {
  const [a, b, c, d] = evUnits.slice(TAG_UNITS[tag], TAG_UNITS[tag] + 4);
  const total = a.upMw + b.upMw + c.upMw;
  return [
    {
      id: `evfleet-${tag}-pool`,
      owner: "agg-evfleet",
      direction: "up",
      volumeMw: total,
      priceEurPerMwh: 40,
      minActivationMw: Number((total / 2).toFixed(6)),
      assets: [a, b, c].map((u) => ({ assetId: u.id, grid: BERGWALD, share: u.upMw / total })),
      ...over,
    },
    { id: `evfleet-${tag}-single`, owner: "agg-evfleet", direction: "up", volumeMw: d.upMw, priceEurPerMwh: 41, assets: [{ assetId: d.id, grid: BERGWALD }] },
  ];
}

describe("portfolio routes: who may do what", () => {
  it("answers 401 to anonymous requests and 403 to the TSO and DSOs, changing nothing", async () => {
    const demo = (await list(evfleet))[0].id;
    const before = await databaseSnapshot();
    const calls = (cookie: string | undefined) => ({
      "GET /api/portfolios": () => portfoliosRoute.GET(apiRequest("GET", "/api/portfolios", { cookie })),
      "POST /api/portfolios": () => upload(cookie, form("p.csv", writeAggregatedBidsCsv(evPortfolio("anon")))),
      "GET /api/portfolios/[id]": () => getOne(cookie, demo),
      "DELETE /api/portfolios/[id]": () => deleteOne(cookie, demo),
      "GET /api/portfolios/[id]/disaggregation": () => disaggregation(cookie, demo),
      "GET /api/portfolios/template": () => template(cookie),
    });
    for (const [name, call] of Object.entries(calls(undefined))) {
      const res = await call();
      expect(res.status, name).toBe(401);
      expect(await res.json(), name).toEqual({ error: "sign in first", code: "unauthorized" });
    }
    for (const [who, cookie] of [
      ["tso", tso],
      ["dso", dso],
    ] as const) {
      for (const [name, call] of Object.entries(calls(cookie))) {
        const res = await call();
        expect(res.status, `${who} ${name}`).toBe(403);
        expect(((await res.json()) as { error: string }).error, `${who} ${name}`).toMatch(/needs the AGGREGATOR role/);
      }
    }
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("lists only the caller's own portfolios", async () => {
    const mine = await list(evfleet);
    const theirs = await list(storage);
    expect(mine.map((p) => [p.owner, p.name])).toEqual([["agg-evfleet", "Demo portfolio"]]);
    expect(theirs.map((p) => [p.owner, p.name])).toEqual([["agg-storage", "Demo portfolio"]]);
    const res = await getOne(evfleet, mine[0].id);
    const body = (await res.json()) as { bids: AggregatedBid[] };
    expect(body.bids.length).toBe(mine[0].bidCount);
    expect(new Set(body.bids.map((b) => b.owner))).toEqual(new Set(["agg-evfleet"]));
  });

  it("answers another aggregator's portfolio exactly like a missing one (404), and its DELETE removes nothing", async () => {
    const evDemo = (await list(evfleet))[0].id;
    const before = await databaseSnapshot();
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const [name, call] of [
      ["GET", getOne],
      ["DELETE", deleteOne],
      ["GET disaggregation", disaggregation],
    ] as const) {
      const foreign = await call(storage, evDemo);
      const none = await call(storage, missing);
      expect(foreign.status, name).toBe(404);
      expect(none.status, name).toBe(404);
      const [a, b] = [(await foreign.json()) as { error: string }, (await none.json()) as { error: string }];
      expect(a.error.replace(evDemo, "<id>"), name).toBe(b.error.replace(missing, "<id>"));
      expect(JSON.stringify(a)).not.toMatch(/evfleet|Demo portfolio/);
    }
    expect(await databaseSnapshot()).toEqual(before);
  });
});

describe("portfolio upload", () => {
  it("stores a valid CSV portfolio and splits it per asset with connection, opaque location, price and group", async () => {
    const res = await upload(evfleet, form("ev-pool.csv", writeAggregatedBidsCsv(evPortfolio("csv")), "EV pool"));
    expect(res.status).toBe(201);
    const { portfolio } = (await res.json()) as { portfolio: PortfolioSummary };
    expect(portfolio).toMatchObject({ owner: "agg-evfleet", name: "EV pool", fileName: "ev-pool.csv", bidCount: 2 });
    expect((await list(evfleet)).map((p) => p.id)).toContain(portfolio.id);
    expect((await list(storage)).map((p) => p.id)).not.toContain(portfolio.id);

    const dis = (await (await disaggregation(evfleet, portfolio.id)).json()) as PortfolioDisaggregation;
    if (!dis.placeable) throw new Error(dis.problem);
    expect(dis.grids.map((g) => [g.name, g.demoMode])).toEqual([[BERGWALD, true]]);
    const [pool, single] = dis.bids;
    expect(pool).toMatchObject({ bidId: "evfleet-csv-pool", direction: "up", priceEurPerMwh: 40, group: "evfleet-csv-pool" });
    expect(single).toMatchObject({ bidId: "evfleet-csv-single", group: null, minActivationMw: null });
    expect(pool.assets.map((a) => a.assetBidId)).toEqual(evUnits.slice(0, 3).map((u) => `evfleet-csv-pool/${u.id}`));
    expect((await (await getOne(evfleet, portfolio.id)).json()).bids[0].assets[0].grid).toBe(dis.grids[0].id);
    expect(single.assets[0].assetBidId).toBe("evfleet-csv-single");
    pool.assets.forEach((a, k) => {
      expect(a.connection).toBe(`bus:${evUnits[k].bus}`);
      expect(a.opaqueLocation).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(a.opaqueLocation).not.toContain(String(evUnits[k].bus));
      expect(a.volumeMw).toBeCloseTo(evUnits[k].upMw, 12);
      expect(a.priceEurPerMwh).toBe(40);
    });
    expect(Math.abs(pool.assets.reduce((s, a) => s + a.volumeMw, 0) - pool.volumeMw)).toBeLessThan(1e-12);
  });

  it("accepts the JSON format too", async () => {
    const res = await upload(evfleet, form("ev.json", JSON.stringify({ aggregatedBids: evPortfolio("json") })));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { portfolio: PortfolioSummary }).portfolio).toMatchObject({ name: "ev", bidCount: 2 });
  });

  const bad = () => {
    const csv = writeAggregatedBidsCsv(evPortfolio("bad"));
    const lines = csv.trimEnd().split("\n");
    return {
      "shares that do not add up": [form("p.csv", csv.replace(/,(0\.\d+)\n/, ",0.9\n")), 400, /p\.csv line \d+ .*shares add up to/],
      "a wrong sign": [form("p.csv", csv.replaceAll(",up,", ",down,")), 400, /p\.csv line \d+ .*wrong sign for a downward bid/],
      "a missing price": [form("p.csv", csv.replace(",40,", ",,")), 400, /p\.csv line 2: missing priceEURperMWh/],
      "another owner": [form("p.csv", csv.replaceAll("agg-evfleet", "agg-storage")), 400, /owner 'agg-storage' is not you \(agg-evfleet\)/],
      "an unknown unit": [form("p.csv", csv.replace(evUnits[11].id, "ev-nowhere")), 400, /asset ev-nowhere: not one of your units in Bergwald \(generated district\)$/],
      "another aggregator's unit": [
        form("p.csv", csv.replace(evUnits[11].id, storageUnits[0])),
        400,
        new RegExp(`asset ${storageUnits[0]}: not one of your units in Bergwald \\(generated district\\)$`),
      ],
      "an unknown grid": [form("p.csv", csv.replaceAll(BERGWALD, "Atlantis")), 400, /no grid 'Atlantis' is on the market/],
      "more than a unit offers": [form("p.csv", [lines[0], `x-1,agg-evfleet,up,5,40,,,${evUnits[8].id},${BERGWALD},,,`].join("\n")), 400, /exceeds what the unit offers/],
      "a unit offered in another portfolio already": [
        form("p.csv", [lines[0], `x-2,agg-evfleet,up,${evUnits[0].upMw},40,,,${evUnits[0].id},${BERGWALD},,,`].join("\n")),
        400,
        /in your stored portfolios exceed what the unit offers/,
      ],
      "a bid id already on the platform": [form("p.csv", csv.replaceAll("evfleet-bad-pool", "evfleet-csv-pool")), 400, /'evfleet-csv-pool' is already used on the platform/],
      "an unknown column": [form("p.csv", csv.replace("bidId", "bid")), 400, /p\.csv line 1: unknown column 'bid'/],
      "an empty file": [form("p.csv", "  \n"), 400, /p\.csv: the file is empty/],
      "invalid JSON": [form("p.json", "{ not json"), 400, /p\.json: not valid JSON/],
      "a wrong file type": [form("p.xlsx", csv), 400, /p\.xlsx: unsupported file type/],
      "bytes that are not UTF-8": [form("p.csv", new Uint8Array([0x62, 0xff, 0xfe, 0x0a])), 400, /not UTF-8/],
      "a file over 5 MB": [form("p.csv", "#".repeat(MAX_PORTFOLIO_BYTES + 10)), 413, /too large .* 5 MB/],
      "no file field": [new FormData(), 400, /no file in the upload/],
    } as Record<string, [FormData, number, RegExp]>;
  };

  it("refuses bad files with a message naming what is wrong, and leaves the database as it was", async () => {
    const before = await databaseSnapshot();
    for (const [what, [body, status, message]] of Object.entries(bad())) {
      const res = await upload(evfleet, body);
      const text = await res.text();
      expect(res.status, `${what}: ${text}`).toBe(status);
      expect((JSON.parse(text) as { error: string }).error, what).toMatch(message);
    }
    const json = await upload(evfleet, JSON.stringify({ aggregatedBids: evPortfolio("raw") }), { "content-type": "application/json" });
    expect(json.status).toBe(415);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("deletes the owner's portfolio", async () => {
    const res = await upload(evfleet, form("gone.csv", writeAggregatedBidsCsv(evPortfolio("gone"))));
    const { portfolio } = (await res.json()) as { portfolio: PortfolioSummary };
    expect((await deleteOne(evfleet, portfolio.id)).status).toBe(204);
    expect((await getOne(evfleet, portfolio.id)).status).toBe(404);
    expect((await list(evfleet)).map((p) => p.id)).not.toContain(portfolio.id);
  });
});

describe("example portfolio", () => {
  it("is a valid CSV over the caller's own units that uploads as it is", async () => {
    const ownUnits = new Set(storageUnits);
    const res = await template(storage);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="portfolio-example-agg-storage\.csv"/);
    const csv = await res.text();
    const bids = parseAggregatedBidsCsv(csv, "example.csv");
    expect(bids.map((b) => b.direction)).toEqual(["up", "down"]);
    expect(bids[0].assets.length).toBeGreaterThan(1);
    for (const b of bids) {
      expect(b.owner).toBe("agg-storage");
      for (const a of b.assets) expect(ownUnits.has(a.assetId), a.assetId).toBe(true);
    }
    const up = await upload(storage, form("example.csv", csv));
    expect(up.status, await up.clone().text()).toBe(201);
  });
});
