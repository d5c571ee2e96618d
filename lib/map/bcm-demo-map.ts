import type { Network } from "@/lib/grid/types";
import type { AggregatedResult } from "@/lib/market";
import type { LayoutPositions } from "@/lib/map/diagram-data";
import { gridMapData, type GridMapData, type LineKind } from "@/lib/map/map-data";
import type { DisaggregatedBidView } from "@/lib/wire/bcm";

type LonLat = [number, number];

/**
 * What an aggregator may see of a DSO grid whose operator switched demo mode on: the
 * drawing only — cable routes, substations, the PCC, streets and building outlines.
 * No bus ids, ratings, cable types, lengths, impedances or loads; the map shows where
 * the aggregator's own assets connect, nothing about how the grid behaves.
 */
export interface DemoMap {
  name: string;
  /** Geographic ([lon, lat]) or, for a grid without geography, its schematic layout's units. */
  coordinates: GridMapData["coordinates"];
  lines: { id: string; kind: LineKind; path: LonLat[]; inService: boolean }[];
  substations: { id: string; position: LonLat }[];
  pcc: LonLat | null;
  streets: { name: string; kind: string; path: LonLat[] }[];
  buildings: { type: string; outline: LonLat[] | null; position: LonLat | null }[];
  bounds: [number, number, number, number] | null;
}

/** Where one of the caller's connection points ("bus:<n>") lies on the demo map. */
export interface DemoMapAsset {
  connection: string;
  position: LonLat;
}

/** The demo-mode drawing of a network (server side, once per request): from its map data, or the diagram's data when it has no geography. */
export function demoMapOf(net: Network, d: GridMapData = gridMapData(net)): DemoMap {
  return {
    name: d.name,
    coordinates: d.coordinates,
    lines: d.lines.map((l) => ({ id: l.id, kind: l.kind, path: l.path, inService: l.inService })),
    substations: d.substations.map((s) => ({ id: s.id, position: s.position })),
    pcc: d.pcc?.position ?? null,
    streets: d.streets.features.map((f) => ({ name: f.properties.name, kind: f.properties.kind, path: f.geometry.coordinates as LonLat[] })),
    buildings: d.buildings.features.map((f) =>
      f.geometry.type === "Polygon"
        ? { type: f.properties.type, outline: f.geometry.coordinates[0] as LonLat[], position: null }
        : { type: f.properties.type, outline: null, position: f.geometry.coordinates as LonLat },
    ),
    bounds: d.bounds,
  };
}

/** Positions of the given connection points ("bus:<n>"): their coordinates, or with a schematic layout their place on the diagram. */
export function connectionPositions(net: Network, connections: Iterable<string>, layout: LayoutPositions | null = null): DemoMapAsset[] {
  const index = new Map(net.buses.map((b, i) => [b.id, i]));
  const out: DemoMapAsset[] = [];
  for (const connection of new Set(connections)) {
    const i = index.get(Number(connection.slice(4)));
    if (i === undefined) continue;
    const b = net.buses[i];
    if (layout) out.push({ connection, position: [layout.x[i], layout.y[i]] });
    else if (Number.isFinite(b.lon) && Number.isFinite(b.lat)) out.push({ connection, position: [b.lon!, b.lat!] });
  }
  return out;
}

/** The grid map's data from a demo map (browser side): no buses, no ratings. */
export function gridMapDataOfDemo(m: DemoMap): GridMapData {
  return {
    name: m.name,
    coordinates: m.coordinates ?? "geographic",
    lines: m.lines.map((l, index) => ({ index, id: l.id, kind: l.kind, path: l.path, from: -1, to: -1, inService: l.inService, ratingMva: 0 })),
    buses: [],
    substations: m.substations.map((s) => ({ id: s.id, position: s.position, transformerIndex: -1, mvBusIndex: -1, lvBusIndex: -1, ratingMva: 0 })),
    pcc: m.pcc ? { position: m.pcc, busIndex: -1 } : null,
    streets: {
      type: "FeatureCollection",
      features: m.streets.map((s, k) => ({ type: "Feature", geometry: { type: "LineString", coordinates: s.path }, properties: { id: `street-${k}`, name: s.name, kind: s.kind } })),
    },
    buildings: {
      type: "FeatureCollection",
      features: m.buildings.map((b, k) => ({
        type: "Feature",
        geometry: b.outline ? { type: "Polygon", coordinates: [b.outline] } : { type: "Point", coordinates: b.position! },
        properties: { id: `building-${k}`, type: b.type, bus: -1 },
      })),
    },
    bounds: m.bounds,
    undrawnBranches: 0,
    undrawnBuses: 0,
    busCount: 0,
    branchCount: m.lines.length,
  };
}

export type MarkerState = "offered" | "full" | "partial" | "none";

/** One marker per connection point of the caller's assets in one grid. */
export interface AssetMarker {
  connection: string;
  position: LonLat;
  assetIds: string[];
  /** Offered MW (magnitude) at the point: all bids before a run, the run's direction after. */
  offeredMw: number;
  /** Activated in the shown run (null before any run). */
  activatedMw: number | null;
  state: MarkerState;
}

/** A run's results of the shown bids and the direction it asked for (the sign of P_E). */
export interface MarkerActivation {
  results: AggregatedResult[];
  direction: "up" | "down";
}

const EPS = 1e-9;

/**
 * Markers for a portfolio's assets in one grid: offered volume per connection point
 * and, with a run's results, how much of the offer in the run's direction was
 * activated there (an unused downward bid does not make an upward run look partial).
 */
export function assetMarkers(gridId: string, bids: DisaggregatedBidView[], positions: DemoMapAsset[], run: MarkerActivation | null): AssetMarker[] {
  const at = new Map(positions.map((p) => [p.connection, p.position]));
  const activated = new Map<string, number>();
  for (const r of run?.results ?? []) for (const a of r.assets) activated.set(`${r.bidId}\u0000${a.assetId}`, a.activatedMw);
  const markers = new Map<string, AssetMarker>();
  for (const b of bids) {
    for (const a of b.assets) {
      const position = a.gridId === gridId ? at.get(a.connection) : undefined;
      if (!position) continue;
      const m = markers.get(a.connection) ?? { connection: a.connection, position, assetIds: [], offeredMw: 0, activatedMw: run ? 0 : null, state: "offered" as MarkerState };
      if (!m.assetIds.includes(a.assetId)) m.assetIds.push(a.assetId);
      if (!run || b.direction === run.direction) m.offeredMw += Math.abs(a.volumeMw);
      if (run) m.activatedMw! += Math.abs(activated.get(`${b.bidId}\u0000${a.assetId}`) ?? 0);
      markers.set(a.connection, m);
    }
  }
  for (const m of markers.values()) {
    if (m.activatedMw === null) continue;
    m.state = m.activatedMw < EPS ? "none" : m.activatedMw >= m.offeredMw - EPS ? "full" : "partial";
  }
  return [...markers.values()];
}
