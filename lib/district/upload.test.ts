import { describe, expect, it } from "vitest";
import { validateNetwork } from "../grid";
import { solvePowerFlow } from "../powerflow";
import { analyzeFlexibilityExtremes, buildGridFromBuildings, districtToGeoJson, generateDistrict, GeoJsonError, parseBuildingsGeoJson, parseStreetsGeoJson, DistrictInputError } from ".";

const fc = (features: unknown[]) => JSON.stringify({ type: "FeatureCollection", features });
const point = (lon: number, lat: number, properties: Record<string, unknown> = {}) => ({ type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] }, properties });
const square = (lon: number, lat: number, d: number) => [
  [lon - d, lat - d],
  [lon + d, lat - d],
  [lon + d, lat + d],
  [lon - d, lat + d],
  [lon - d, lat - d],
];

describe("parseBuildingsGeoJson", () => {
  it("reads points and polygons with id, type (platform or OpenStreetMap names), demand and households", () => {
    const text = fc([
      point(8.48, 49.0, { id: "house-1", building: "house", demand_kw: "6.5" }),
      { type: "Feature", id: 77, geometry: { type: "Polygon", coordinates: [square(8.481, 49.001, 0.0001)] }, properties: { building: "apartments", "building:flats": 12, name: "Block A" } },
      {
        type: "Feature",
        geometry: { type: "MultiPolygon", coordinates: [[square(8.482, 49.0, 0.00002)], [square(8.483, 49.0, 0.0001)]] },
        properties: { type: "school", building: "yes" },
      },
      point(8.4805, 49.0005, { building: "yes" }),
    ]);
    const b = parseBuildingsGeoJson(text);
    expect(b).toHaveLength(4);
    expect(b[0]).toEqual({ lon: 8.48, lat: 49.0, id: "house-1", type: "single_house", demandKw: 6.5 });
    expect(b[1]).toMatchObject({ id: "77", type: "apartment", households: 12, name: "Block A" });
    expect(b[1].lon).toBeCloseTo(8.481, 6);
    expect(b[1].lat).toBeCloseTo(49.001, 6);
    expect(b[1].footprint).toHaveLength(5);
    // MultiPolygon: the largest part, connected at its centroid.
    expect(b[2].type).toBe("school");
    expect(b[2].lon).toBeCloseTo(8.483, 6);
    expect(b[3].type).toBeUndefined();
    // A bare Feature works too, and an unclosed ring is closed.
    const open = square(8.48, 49, 0.0001).slice(0, 4);
    const one = parseBuildingsGeoJson(JSON.stringify({ type: "Feature", geometry: { type: "Polygon", coordinates: [open] }, properties: null }));
    expect(one[0].footprint).toHaveLength(5);
  });

  it("names the feature and field of every problem", () => {
    const bad = (text: string, msg: RegExp) => {
      expect(() => parseBuildingsGeoJson(text)).toThrow(GeoJsonError);
      expect(() => parseBuildingsGeoJson(text)).toThrow(msg);
    };
    bad("", /the file is empty/);
    bad("{nope", /not valid JSON/);
    bad("[]", /expected a GeoJSON object.*array/);
    bad(JSON.stringify({ type: "Topology" }), /type must be "FeatureCollection" or "Feature"/);
    bad(fc([]), /has no features/);
    bad(fc([point(8.48, 49), { type: "Feature", geometry: null, properties: {} }]), /features\[1\]\.geometry: a building needs a Point or Polygon geometry/);
    bad(fc([point(8.48, 49), point(190, 49)]), /features\[1\]\.geometry\.coordinates: longitude 190 is outside \[-180, 180\]/);
    bad(fc([point(49, 98)]), /latitude 98 is outside.*swapped/);
    bad(fc([point(8.48, "49" as unknown as number)]), /features\[0\]\.geometry\.coordinates: latitude must be a finite number, got "49"/);
    bad(
      fc([
        {
          type: "Feature",
          geometry: {
            type: "LineString",
            coordinates: [
              [8, 49],
              [8.1, 49],
            ],
          },
          properties: {},
        },
      ]),
      /features\[0\]\.geometry\.type: buildings must be Point, Polygon or MultiPolygon, got "LineString"/,
    );
    bad(
      fc([
        {
          type: "Feature",
          geometry: {
            type: "Polygon",
            coordinates: [
              [
                [8, 49],
                [8.1, 49],
                [8, 49],
              ],
            ],
          },
          properties: {},
        },
      ]),
      /features\[0\]\.geometry\.coordinates\[0\]: a polygon ring needs at least 3 distinct positions, got 2/,
    );
    bad(fc([point(8.48, 49, { building: "garage" })]), /features\[0\]\.properties\.building: unknown building type 'garage'/);
    bad(fc([point(8.48, 49, { demand_kw: -3 })]), /features\[0\]\.properties\.demand_kw: demand must not be negative, got -3/);
    bad(fc([point(8.48, 49, { demand_kw: "lots" })]), /features\[0\]\.properties\.demand_kw: expected a number, got "lots"/);
    bad(fc([point(8.48, 49, { households: 2.5 })]), /households must be an integer/);
  });
});

describe("parseStreetsGeoJson", () => {
  it("reads LineStrings and the parts of MultiLineStrings with names and OSM highway kinds", () => {
    const s = parseStreetsGeoJson(
      fc([
        {
          type: "Feature",
          geometry: {
            type: "LineString",
            coordinates: [
              [8.48, 49],
              [8.49, 49],
            ],
          },
          properties: { name: "Hauptstraße", highway: "residential", id: "w1" },
        },
        {
          type: "Feature",
          geometry: {
            type: "MultiLineString",
            coordinates: [
              [
                [8.48, 49.001],
                [8.49, 49.001],
              ],
              [
                [8.49, 49.001],
                [8.49, 49.002],
              ],
            ],
          },
          properties: { id: "w2" },
        },
      ]),
    );
    expect(s).toHaveLength(3);
    expect(s[0]).toEqual({
      id: "w1",
      name: "Hauptstraße",
      kind: "residential",
      coordinates: [
        [8.48, 49],
        [8.49, 49],
      ],
    });
    expect(s.map((x) => x.id)).toEqual(["w1", "w2-1", "w2-2"]);
  });

  it("rejects buildings in a streets file and one-point lines, naming the feature", () => {
    expect(() => parseStreetsGeoJson(fc([point(8.48, 49)]))).toThrow(/features\[0\]\.geometry\.type: streets must be LineString or MultiLineString, got "Point"/);
    expect(() => parseStreetsGeoJson(fc([{ type: "Feature", geometry: { type: "LineString", coordinates: [[8.48, 49]] }, properties: {} }]))).toThrow(
      /features\[0\]\.geometry\.coordinates: a street needs at least 2 positions, got 1/,
    );
  });
});

describe("buildGridFromBuildings: grids from uploads, on the default's code path", () => {
  it("rebuilds the default district from its own GeoJSON: same grid, same power flow", () => {
    const d = generateDistrict({ seed: 5, buildings: 120 });
    const geo = districtToGeoJson(d);
    const again = buildGridFromBuildings({
      buildings: parseBuildingsGeoJson(JSON.stringify(geo.buildings)),
      streets: parseStreetsGeoJson(JSON.stringify(geo.streets)),
      seed: 5,
      pcc: { lon: d.pcc.lon, lat: d.pcc.lat },
    });
    expect(again.network.branches.map((b) => b.id)).toEqual(d.network.branches.map((b) => b.id));
    expect(again.network.fpus).toEqual(d.network.fpus);
    expect(again.network.loads).toEqual(d.network.loads);
    const r0 = solvePowerFlow(d.network);
    const r1 = solvePowerFlow(again.network);
    // Centroids recomputed from the footprints move taps by up to a centimetre.
    for (let i = 0; i < r0.vm.length; i++) expect(Math.abs(r1.vm[i] - r0.vm[i])).toBeLessThan(1e-5);
  });

  it("builds a valid grid from points without streets, base case within limits", () => {
    const buildings = [];
    for (let i = 0; i < 60; i++) buildings.push({ lon: 8.47 + (i % 10) * 0.0003, lat: 49.01 + Math.floor(i / 10) * 0.00025 });
    const d = buildGridFromBuildings({ buildings, seed: 3 });
    validateNetwork(d.network);
    expect(d.warnings.join(" ")).toMatch(/no streets given/);
    expect(d.buildings).toHaveLength(60);
    expect(d.substations.length).toBeGreaterThanOrEqual(1);
    expect(d.network.buses.every((b) => Number.isFinite(b.lon))).toBe(true);
    expect(d.network.branches.every((b) => (b.geometry?.length ?? 0) >= 2)).toBe(true);
    const a = analyzeFlexibilityExtremes(d.network);
    expect(a.base.converged).toBe(true);
    expect(a.base.vmMin).toBeGreaterThanOrEqual(0.95);
    expect(a.base.maxLoadingPct!).toBeLessThanOrEqual(100);
    expect(a.offered.upMw).toBeGreaterThan(0);
  });

  it("uses a given demand: a building's load scales with it; a very large one gets a heavier service cable", () => {
    const base = [
      { id: "a", lon: 8.48, lat: 49.0 },
      { id: "b", lon: 8.4806, lat: 49.0 },
    ];
    const streets = [
      {
        coordinates: [
          [8.4795, 48.9998],
          [8.481, 48.9998],
        ] as [number, number][],
      },
    ];
    const small = buildGridFromBuildings({ buildings: base, streets, seed: 1 });
    const big = buildGridFromBuildings({ buildings: [{ ...base[0], demandKw: 150, type: "shop" as const }, base[1]], streets, seed: 1 });
    const loadOf = (d: typeof small) => d.network.loads.find((l) => l.buildingId === "a")!.pMw;
    expect(loadOf(big)).toBeCloseTo(0.15 * 0.4, 9);
    expect(loadOf(big)).toBeGreaterThan(loadOf(small));
    const svc = big.network.branches.find((b) => b.id.endsWith("svc-a"))!;
    expect(svc.typeName).not.toBe("NAYY 4x50 SE");
    expect(svc.rateAMva).toBeGreaterThan(0.15 / 0.95);
  });

  it("rejects unusable input with a clear message", () => {
    expect(() => buildGridFromBuildings({ buildings: [] })).toThrow(DistrictInputError);
    expect(() => buildGridFromBuildings({ buildings: [] })).toThrow(/no buildings/);
    expect(() =>
      buildGridFromBuildings({
        buildings: [
          { lon: 8.48, lat: 49 },
          { lon: 9.2, lat: 49 },
        ],
      }),
    ).toThrow(/span 5\d\.\d km/);
    expect(() => buildGridFromBuildings({ buildings: [{ lon: 8.48, lat: 99 }] })).toThrow(/building 0: \[8.48, 99\] is not a WGS84/);
    expect(() => buildGridFromBuildings({ buildings: [{ lon: 8.48, lat: 49, type: "castle" as never }] })).toThrow(/building 0 \(b0001\): unknown type 'castle'/);
    expect(() => buildGridFromBuildings({ buildings: [{ lon: 8.48, lat: 49 }], seed: 0.5 })).toThrow(/seed must be an integer/);
  });

  it("keeps duplicate ids apart", () => {
    const d = buildGridFromBuildings({
      buildings: [
        { id: "x", lon: 8.48, lat: 49 },
        { id: "x", lon: 8.4803, lat: 49 },
      ],
      seed: 2,
    });
    expect(d.buildings.map((b) => b.id)).toEqual(["x", "x-2"]);
  });
});
