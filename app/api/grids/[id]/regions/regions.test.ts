import { beforeAll, describe, expect, it } from "vitest";
import { parseNetworkJson } from "@/lib/grid";
import { computePqRegions } from "@/lib/regions";
import { publishPqRegion, type PublishedPqRegion } from "@/lib/regions/published";
import { getPrisma } from "@/lib/server/db";
import { DEMO_GRIDS } from "@/lib/server/demo-data";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import * as tsoRoute from "@/app/api/tso/regions/route";
import * as listRoute from "./route";

useTestDatabase();

let owner: string;
let otherDso: string;
let tso: string;
let aggregator: string;
let gridId: string;
let networkJson: string;
let slc: PublishedPqRegion;
let exact: PublishedPqRegion;

beforeAll(async () => {
  [owner, otherDso, tso, aggregator] = await Promise.all(["dso-bergwald", "dso-rheintal", "tso", "agg-storage"].map(sessionCookie));
  const grid = await (await getPrisma()).grid.findFirstOrThrow({ where: { name: DEMO_GRIDS[0].name } });
  gridId = grid.id;
  networkJson = grid.networkJson;
  const r = await computePqRegions(parseNetworkJson(networkJson), ["lds", "slc", "exact"], { exact: { directions: 8, epsilonSteps: 2, refineRounds: 0 } });
  slc = publishPqRegion(r.problem.pcc, "slc", r.slc!.polygon, r.slc!.areaMW2, { halfSpaces: r.lds!.halfSpaces, lossModel: r.slc!.lossModel });
  exact = publishPqRegion(r.problem.pcc, "exact", r.exact!.polygon, r.exact!.areaMW2);
}, 120_000);

const post = (cookie: string | undefined, body: unknown) =>
  listRoute.POST(
    apiRequest("POST", `/api/grids/${gridId}/regions`, { cookie, body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } }),
    routeContext({ id: gridId }),
  );
const rows = async () => (await getPrisma()).flexRegion.findMany({ where: { gridId }, select: { id: true, method: true, published: true }, orderBy: { createdAt: "asc" } });

describe("flexibility region routes", () => {
  it("refuse anonymous callers, the TSO, aggregators and another DSO on the DSO routes; storing nothing", async () => {
    for (const cookie of [undefined, tso, aggregator, otherDso]) {
      expect((await post(cookie, { region: slc, publish: true })).status).toBe(cookie ? 403 : 401);
      expect((await listRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: gridId }))).status).toBe(cookie ? 403 : 401);
    }
    for (const cookie of [undefined, owner, otherDso, aggregator]) expect((await tsoRoute.GET(apiRequest("GET", "/", { cookie }))).status).toBe(cookie ? 403 : 401);
    expect(await rows()).toEqual([]);
  });

  it("refuse a region that names a bus or breaks the schema, naming the field, and store nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...slc, buses: [12] }, /region: Unrecognized key: "buses"|unrecognized/i],
      [{ ...slc, halfSpaces: [{ a: 1, b: 0, c: 2, element: "bus 12" }] }, /region\.halfSpaces\[0\]/],
      [{ ...slc, polygon: [[0, 0]] }, /region\.polygon/],
      [{ ...slc, lossModel: undefined }, /carries its loss quadratics/],
      [{ ...slc, regionId: "bus-12" }, /region\.regionId: must be an opaque id/],
      [
        {
          ...exact,
          polygon: [
            [0, 0],
            [1, Number.NaN],
            [1, 1],
          ],
        },
        /region\.polygon\[1\]\[1\]/,
      ],
    ];
    for (const [region, message] of cases) {
      const res = await post(owner, { region, publish: true });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(await rows()).toEqual([]);
  });

  it("store, publish one at a time, and serve the TSO the published region and nothing of the grid", async () => {
    expect((await post(owner, { region: exact, publish: false })).status).toBe(201);
    const res = await post(owner, { region: slc, publish: true });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { region: { method: string; published: boolean } }).region).toMatchObject({ method: "slc", published: true });
    expect((await rows()).map((r) => [r.method, r.published])).toEqual([
      ["exact", false],
      ["slc", true],
    ]);
    const list = (await (await listRoute.GET(apiRequest("GET", "/", { cookie: owner }), routeContext({ id: gridId }))).json()) as { regions: unknown[] };
    expect(list.regions).toHaveLength(2);
    const served = (await (await tsoRoute.GET(apiRequest("GET", "/", { cookie: tso }))).json()) as { regions: { method: string; region: PublishedPqRegion; gridName: string }[] };
    expect(served.regions).toHaveLength(1);
    expect(served.regions[0]).toMatchObject({ method: "slc", gridName: DEMO_GRIDS[0].name });
    expect(Object.keys(served.regions[0].region).sort()).toEqual(Object.keys(slc).sort());
    // Nothing of the network: no bus number, branch id or unit id of the grid appears.
    const text = JSON.stringify(served);
    const net = parseNetworkJson(networkJson);
    for (const f of net.fpus.slice(0, 50)) expect(text).not.toContain(f.id);
    for (const b of net.branches.slice(0, 50)) expect(text).not.toContain(`"${b.id}"`);
    expect(text).not.toMatch(/"(bus|buses|branch|fpu|unit)"/);
    // Publishing the exact one withdraws the other.
    expect((await post(owner, { region: exact, publish: true })).status).toBe(201);
    const again = (await (await tsoRoute.GET(apiRequest("GET", "/", { cookie: tso }))).json()) as { regions: { method: string }[] };
    expect(again.regions.map((r) => r.method)).toEqual(["exact"]);
  });
});
