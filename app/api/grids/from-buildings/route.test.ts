import { beforeAll, describe, expect, it } from "vitest";
import { databaseSnapshot } from "@/lib/testing/db-snapshot";
import { districtToGeoJson, generateDistrict } from "@/lib/district";
import { parseNetworkJson } from "@/lib/grid";
import { solvePowerFlow } from "@/lib/powerflow";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import * as networkRoute from "../[id]/network/route";
import * as route from "./route";

useTestDatabase();

let dso: string;
let tso: string;
let aggregator: string;

const sample = districtToGeoJson(generateDistrict({ seed: 3, buildings: 60 }));

async function gridCount(): Promise<number> {
  return (await databaseSnapshot()).Grid.length;
}

function form(files: Record<string, [name: string, text: string]>, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, [name, text]] of Object.entries(files)) f.set(k, new File([text], name, { type: "application/geo+json" }));
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

const post = (cookie: string | undefined, body: BodyInit) => route.POST(apiRequest("POST", "/api/grids/from-buildings", { cookie, body }));

beforeAll(async () => {
  [dso, tso, aggregator] = await Promise.all(["dso-bergwald", "tso", "agg-solarpool"].map(sessionCookie));
});

describe("POST /api/grids/from-buildings", () => {
  it("builds and stores a grid from buildings and streets GeoJSON for the DSO, with coordinates and FPUs", async () => {
    const before = await gridCount();
    const res = await post(
      dso,
      form({ buildings: ["homes.geojson", JSON.stringify(sample.buildings)], streets: ["roads.geojson", JSON.stringify(sample.streets)] }, { seed: "3", name: "My quarter" }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      grid: { id: string; name: string; busCount: number; fpuCount: number; sourceFormat: string };
      district: { buildings: number; substations: number; warnings: string[] };
    };
    expect(body.grid.name).toBe("My quarter");
    expect(body.grid.sourceFormat).toBe("generated");
    expect(body.district.buildings).toBe(60);
    expect(body.district.substations).toBeGreaterThanOrEqual(1);
    expect(body.grid.fpuCount).toBeGreaterThan(0);
    expect(await gridCount()).toBe(before + 1);
    // What the DSO view then draws and solves.
    const netRes = await networkRoute.GET(apiRequest("GET", `/api/grids/${body.grid.id}/network`, { cookie: dso }), routeContext({ id: body.grid.id }));
    const net = parseNetworkJson(await netRes.text());
    expect(net.buses.every((b) => Number.isFinite(b.lon) && Number.isFinite(b.lat))).toBe(true);
    expect((net.meta?.geography as { buildings: unknown[] } | undefined)?.buildings).toHaveLength(60);
    const pf = solvePowerFlow(net);
    expect(pf.converged).toBe(true);
    expect(pf.vmMin).toBeGreaterThanOrEqual(0.95);
  });

  it("accepts buildings alone (points, no streets) and says how cables were routed", async () => {
    const points = {
      type: "FeatureCollection",
      features: sample.buildings.features
        .slice(0, 20)
        .map((f) => ({ type: "Feature", geometry: { type: "Point", coordinates: (f.geometry.coordinates as [number, number][][])[0][0] }, properties: {} })),
    };
    const res = await post(dso, form({ buildings: ["points.json", JSON.stringify(points)] }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { grid: { name: string }; district: { warnings: string[] } };
    expect(body.grid.name).toBe("points (from 20 buildings)");
    expect(body.district.warnings.join(" ")).toMatch(/no streets given/);
  });

  it("rejects bad files with the feature and field named, and stores nothing", async () => {
    const before = await gridCount();
    const bad = JSON.stringify({
      type: "FeatureCollection",
      features: [
        { type: "Feature", geometry: { type: "Point", coordinates: [8.48, 49] }, properties: {} },
        { type: "Feature", geometry: { type: "Point", coordinates: [8.48, 95] }, properties: {} },
      ],
    });
    const cases: [FormData, number, RegExp][] = [
      [form({ buildings: ["b.geojson", bad] }), 400, /^b\.geojson: features\[1\]\.geometry\.coordinates: latitude 95 is outside/],
      [form({ buildings: ["b.geojson", "{oops"] }), 400, /b\.geojson: buildings GeoJSON: not valid JSON/],
      [
        form({ buildings: ["b.geojson", JSON.stringify(sample.buildings)], streets: ["s.geojson", JSON.stringify(sample.buildings)] }),
        400,
        /^s\.geojson: features\[0\]\.geometry\.type: streets must be LineString/,
      ],
      [form({ buildings: ["b.csv", "x"] }), 400, /b\.csv: unsupported file type/],
      [form({}), 400, /no buildings file/],
      [form({ buildings: ["b.geojson", JSON.stringify(sample.buildings)] }, { seed: "abc" }), 400, /seed: expected an integer/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(dso, body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const json = await route.POST(apiRequest("POST", "/api/grids/from-buildings", { cookie: dso, body: "{}", headers: { "content-type": "application/json" } }));
    expect(json.status).toBe(415);
    expect(await gridCount()).toBe(before);
  });

  it("is for DSOs only: 401 anonymous, 403 for the TSO and aggregators, nothing stored", async () => {
    const before = await gridCount();
    const body = () => form({ buildings: ["b.geojson", JSON.stringify(sample.buildings)] });
    expect((await post(undefined, body())).status).toBe(401);
    for (const cookie of [tso, aggregator]) {
      const res = await post(cookie, body());
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/needs the DSO role/);
    }
    expect(await gridCount()).toBe(before);
  });
});
