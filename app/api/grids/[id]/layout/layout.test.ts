import { beforeAll, describe, expect, it } from "vitest";
import { parseGridFile } from "@/lib/grid";
import { computeLayout } from "@/lib/layout";
import { storedLayoutOf, type StoredLayout } from "@/lib/layout/json";
import { apiRequest, gridForm, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { databaseSnapshot as snapshot } from "@/lib/testing/db-snapshot";
import { readSharedCase } from "@/lib/testing/shared";
import * as gridsRoute from "../../route";
import * as gridRoute from "../route";
import * as layoutRoute from "./route";

useTestDatabase();

let owner: string;
let otherDso: string;
let tso: string;
let aggregator: string;
let gridId: string;
const net = parseGridFile("case118zh.m", readSharedCase("case118zh"));
const computed: StoredLayout = storedLayoutOf(computeLayout(net));

beforeAll(async () => {
  [owner, otherDso, tso, aggregator] = await Promise.all(["dso-bergwald", "dso-rheintal", "tso", "agg-solarpool"].map(sessionCookie));
  const res = await gridsRoute.POST(apiRequest("POST", "/api/grids", { cookie: owner, body: gridForm("case118zh.m", readSharedCase("case118zh")) }));
  expect(res.status).toBe(201);
  gridId = ((await res.json()) as { grid: { id: string } }).grid.id;
});

const path = () => `/api/grids/${gridId}/layout`;
const ctx = () => routeContext({ id: gridId });
const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const get = (cookie?: string) => layoutRoute.GET(apiRequest("GET", path(), { cookie }), ctx());
const put = (cookie: string | undefined, body: unknown) => layoutRoute.PUT(apiRequest("PUT", path(), { cookie, ...json(body) }), ctx());
const patch = (cookie: string | undefined, body: unknown) => layoutRoute.PATCH(apiRequest("PATCH", path(), { cookie, ...json(body) }), ctx());

describe("a grid's schematic layout", () => {
  it("answers 401 anonymously and 403 to another DSO, the TSO and aggregators, changing nothing", async () => {
    const before = await snapshot();
    for (const call of [() => get(), () => put(undefined, { layout: computed }), () => patch(undefined, { moves: [{ busId: 1, x: 0, y: 0 }] })]) expect((await call()).status).toBe(401);
    for (const cookie of [otherDso, tso, aggregator]) {
      for (const call of [() => get(cookie), () => put(cookie, { layout: computed }), () => patch(cookie, { moves: [{ busId: 1, x: 0, y: 0 }] })]) {
        const res = await call();
        expect(res.status).toBe(403);
        expect(await res.text()).not.toContain("busIds");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("is null before the first, and 404 for buses moved before a layout is stored", async () => {
    expect(await (await get(owner)).json()).toEqual({ layout: null });
    const res = await patch(owner, { moves: [{ busId: 1, x: 0, y: 0 }] });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe("this grid has no stored layout yet; open its diagram first");
  });

  it("refuses a layout that does not fit the grid, naming the field, and stores nothing", async () => {
    const before = await snapshot();
    const cases: [unknown, number, string][] = [
      [{ layout: { ...computed, busIds: computed.busIds.slice(1), x: computed.x.slice(1), y: computed.y.slice(1) } }, 400, "layout.busIds: the layout has 117 buses, the grid 118"],
      [{ layout: { ...computed, busIds: [2, 1, ...computed.busIds.slice(2)] } }, 400, "layout.busIds[0]: expected bus 1 of this grid, got 2"],
      [{ layout: { ...computed, x: computed.x.slice(1) } }, 400, "layout.x: has 117 entries for 118 buses"],
      [{ layout: { ...computed, format: "other" } }, 400, "layout.format: "],
      [{ layout: computed, extra: true }, 400, "extra"],
    ];
    for (const [body, status, message] of cases) {
      const res = await put(owner, body);
      expect(res.status).toBe(status);
      expect((await res.json()).error).toContain(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("stores the computed layout, serves it back as stored, and saves buses moved by hand", async () => {
    const res = await put(owner, { layout: computed });
    expect(res.status).toBe(200);
    expect((await res.json()).layout).toMatchObject({ gridId, algorithm: "tidy-tree", busCount: 118, crossings: 0, movedBuses: 0 });
    expect((await (await get(owner)).json()).layout).toEqual(computed);

    const moved = await patch(owner, { moves: [{ busId: 50, x: 12.3456, y: -4 }] });
    expect(moved.status).toBe(200);
    expect((await moved.json()).layout).toMatchObject({ movedBuses: 1 });
    const back = (await (await get(owner)).json()).layout as StoredLayout;
    const i = back.busIds.indexOf(50);
    expect([back.x[i], back.y[i]]).toEqual([12.346, -4]);
    expect(back.moved).toEqual([50]);
    expect(back.x.filter((_, k) => k !== i)).toEqual(computed.x.filter((_, k) => k !== i));
  });

  it("refuses moves of buses the grid does not have, and malformed moves, changing nothing", async () => {
    const before = await snapshot();
    for (const [body, message] of [
      [
        {
          moves: [
            { busId: 50, x: 1, y: 1 },
            { busId: 999, x: 0, y: 0 },
          ],
        },
        "moves: bus 999 is not in this grid",
      ],
      [{ moves: [] }, "moves: name at least one bus"],
      [{ moves: [{ busId: 50, x: "1", y: 0 }] }, "moves.0.x"],
      [{ moves: [{ busId: 50, x: 1e9, y: 0 }] }, "moves: bus 50: x must be a finite number within ±10000000"],
    ] as const) {
      const res = await patch(owner, body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toContain(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("goes with its grid when the grid is deleted", async () => {
    const before = (await snapshot()).GridLayout.length;
    const del = await gridRoute.DELETE(apiRequest("DELETE", `/api/grids/${gridId}`, { cookie: owner }), ctx());
    expect(del.status).toBe(204);
    expect((await snapshot()).GridLayout).toHaveLength(before - 1);
  });
});
