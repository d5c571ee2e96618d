import { describe, expect, it } from "vitest";
import { generateDistrict } from "@/lib/district";
import type { AggregatedResult } from "@/lib/market";
import { gridMapData } from "@/lib/map/map-data";
import { buildOfflineStyle } from "@/components/map/style";
import { ASSET_LAYER_ID, assetMarkerLayer, MARKER_COLOR } from "./asset-layer";
import { assetMarkers, connectionPositions, demoMapOf, gridMapDataOfDemo, type DemoMapAsset } from "@/lib/map/bcm-demo-map";
import type { DisaggregatedBidView } from "@/lib/wire/bcm";

const net = generateDistrict().network;
const demo = demoMapOf(net);
const full = gridMapData(net);

describe("demo-mode map: the drawing without the grid's electrical data", () => {
  it("keeps routes, substations, PCC, streets and buildings, and drops buses, ratings, cable types and lengths", () => {
    const text = JSON.stringify(demo);
    for (const key of ["lon", "lat", "ratingMva", "typeName", "lengthKm", "baseKv", "rPu", "xPu", "pdMw", "buildingId", "bus", "from", "to", "geometry"]) {
      expect(text, key).not.toContain(`"${key}"`);
    }
    expect(demo.lines.map((l) => l.path)).toEqual(full.lines.map((l) => l.path));
    expect(demo.substations.map((s) => s.id).sort()).toEqual(["S1", "S2", "S3", "S4", "S5", "S6"]);
    expect(demo.pcc).toEqual(full.pcc?.position);
    expect(demo.bounds).toEqual(full.bounds);
    expect(demo.streets).toHaveLength(full.streets.features.length);
    expect(demo.buildings).toHaveLength(full.buildings.features.length);
  });

  it("rebuilds map data the grid map and its offline basemap draw the same way", () => {
    const data = gridMapDataOfDemo(JSON.parse(JSON.stringify(demo)));
    expect(data.buses).toEqual([]);
    expect(data.lines.map((l) => [l.id, l.kind, l.inService, l.path])).toEqual(full.lines.map((l) => [l.id, l.kind, l.inService, l.path]));
    expect(data.lines.every((l) => l.ratingMva === 0 && l.typeName === undefined)).toBe(true);
    expect(data.substations.map((s) => s.position)).toEqual(full.substations.map((s) => s.position));
    expect(data.streets.features.map((f) => f.geometry)).toEqual(full.streets.features.map((f) => f.geometry));
    expect(data.buildings.features.map((f) => f.geometry)).toEqual(full.buildings.features.map((f) => f.geometry));
    const style = buildOfflineStyle(data);
    expect(Object.keys(style.sources)).toEqual(["streets", "buildings"]);
  });

  it("places connection points at their bus, once each, skipping buses that do not exist", () => {
    const fpus = net.fpus.slice(0, 3);
    const got = connectionPositions(net, [...fpus.map((f) => `bus:${f.bus}`), `bus:${fpus[0].bus}`, "bus:999999"]);
    const expected = [...new Set(fpus.map((f) => f.bus))].map((b) => {
      const bus = net.buses.find((x) => x.id === b)!;
      return { connection: `bus:${b}`, position: [bus.lon, bus.lat] };
    });
    expect(got).toEqual(expected);
  });

  it("places them on the network diagram when the grid is drawn from a schematic layout", () => {
    const layout = { busIds: net.buses.map((b) => b.id), x: net.buses.map((_, i) => i * 2), y: net.buses.map((_, i) => -i) };
    const b = net.fpus[0].bus;
    const i = net.buses.findIndex((x) => x.id === b);
    expect(connectionPositions(net, [`bus:${b}`, "bus:999999"], layout)).toEqual([{ connection: `bus:${b}`, position: [i * 2, -i] }]);
  });
});

describe("asset markers", () => {
  const positions: DemoMapAsset[] = [
    { connection: "bus:1", position: [8.4, 49] },
    { connection: "bus:2", position: [8.5, 49] },
  ];
  const asset = (bidId: string, assetId: string, connection: string, volumeMw: number, gridId = "g1") => ({
    assetBidId: `${bidId}/${assetId}`,
    assetId,
    gridId,
    connection,
    opaqueLocation: "loc",
    volumeMw,
    priceEurPerMwh: 50,
  });
  const bids: DisaggregatedBidView[] = [
    {
      bidId: "b1",
      direction: "up",
      volumeMw: 0.03,
      priceEurPerMwh: 50,
      minActivationMw: null,
      indivisible: false,
      group: null,
      assets: [asset("b1", "ev-1", "bus:1", 0.01), asset("b1", "ev-2", "bus:1", 0.01), asset("b1", "ev-3", "bus:2", 0.01)],
    },
    { bidId: "b2", direction: "up", volumeMw: 0.02, priceEurPerMwh: 60, minActivationMw: null, indivisible: false, group: null, assets: [asset("b2", "ev-9", "bus:7", 0.02, "g2")] },
  ];
  const result = (activated: Record<string, number>): AggregatedResult => ({
    bidId: "b1",
    owner: "agg",
    direction: "up",
    priceEurPerMwh: 50,
    offeredMw: 0.03,
    activatedMw: Object.values(activated).reduce((s, v) => s + v, 0),
    fraction: 0,
    costEur: 0,
    assets: ["ev-1", "ev-2", "ev-3"].map((id) => ({ assetId: id, grid: "Grid one", location: "", offeredMw: 0.01, activatedMw: activated[id] ?? 0 })),
  });

  it("sums the offered volume per connection point of the grid shown, ignoring other grids", () => {
    const m = assetMarkers("g1", bids, positions, null);
    expect(m.map((x) => [x.connection, x.assetIds, x.state, x.activatedMw])).toEqual([
      ["bus:1", ["ev-1", "ev-2"], "offered", null],
      ["bus:2", ["ev-3"], "offered", null],
    ]);
    expect(m[0].offeredMw).toBeCloseTo(0.02, 12);
  });

  it("colours a run's activation per connection point: full, partial, none", () => {
    const m = assetMarkers("g1", bids, positions, { results: [result({ "ev-1": 0.01, "ev-2": 0.004 })], direction: "up" });
    expect(m.map((x) => [x.connection, x.state])).toEqual([
      ["bus:1", "partial"],
      ["bus:2", "none"],
    ]);
    expect(m[0].activatedMw).toBeCloseTo(0.014, 12);
    const all = assetMarkers("g1", bids, positions, { results: [result({ "ev-1": 0.01, "ev-2": 0.01, "ev-3": 0.01 })], direction: "up" });
    expect(all.map((x) => x.state)).toEqual(["full", "full"]);
    // A downward bid at the same point, unused in an upward run, does not make the point look partly activated.
    const withDown: DisaggregatedBidView[] = [...bids, { ...bids[1], bidId: "b3", direction: "down", volumeMw: -0.01, assets: [asset("b3", "ev-1", "bus:1", -0.01)] }];
    const up = assetMarkers("g1", withDown, positions, { results: [result({ "ev-1": 0.01, "ev-2": 0.01, "ev-3": 0.01 })], direction: "up" });
    expect(up.map((x) => [x.state, x.offeredMw])).toEqual([
      ["full", 0.02],
      ["full", 0.01],
    ]);
    const down = assetMarkers("g1", withDown, positions, { results: [result({})], direction: "down" });
    expect(down.map((x) => [x.state, x.offeredMw])).toEqual([
      ["none", 0.01],
      ["none", 0],
    ]);
  });

  it("draws them as one deck.gl layer above the grid, coloured by state", () => {
    const markers = assetMarkers("g1", bids, positions, { results: [result({ "ev-1": 0.01 })], direction: "up" });
    const layer = assetMarkerLayer(markers);
    expect(layer.id).toBe(ASSET_LAYER_ID);
    expect(layer.props.data).toBe(markers);
    const fill = (layer.props as unknown as { getFillColor: (m: (typeof markers)[number]) => unknown }).getFillColor;
    expect(markers.map(fill)).toEqual([MARKER_COLOR.partial, MARKER_COLOR.none]);
  });
});
