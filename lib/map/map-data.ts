import type { Feature, FeatureCollection, LineString, Point, Polygon } from "geojson";
import type { Network } from "@/lib/grid/types";
import type { DistrictGeography } from "@/lib/district/types";

/** A branch loaded above this (% of its rating) is congested: red on every map and counted so. */
export const CONGESTION_PCT = 100;

/**
 * What the grid map draws, reshaped once from a Network (the one boundary between
 * the grid model and the map). Indices refer to the network's branch and bus order,
 * which is also the order of power flow results (loadingPct, vm).
 */
export type LineKind = "mv" | "lv" | "service";
export type BusRole = "pcc" | "mv" | "busbar" | "junction" | "building";

export interface MapLine {
  /** Branch index in the network. */
  index: number;
  id: string;
  kind: LineKind;
  /** Higher base voltage of its two buses, kV (0 when unknown). */
  kv?: number;
  /** A transformer drawn as a line (the schematic diagram; on the map transformers are substations). */
  transformer?: boolean;
  path: [number, number][];
  from: number;
  to: number;
  inService: boolean;
  ratingMva: number;
  typeName?: string;
  lengthKm?: number;
}

export interface MapBus {
  /** Bus index in the network. */
  index: number;
  id: number;
  name: string;
  position: [number, number];
  baseKv: number;
  role: BusRole;
}

export interface MapSubstation {
  id: string;
  position: [number, number];
  /** Branch index of its transformer (-1 if unknown) and the bus indices on both sides. */
  transformerIndex: number;
  mvBusIndex: number;
  lvBusIndex: number;
  typeName?: string;
  ratingMva: number;
}

export interface GridMapData {
  name: string;
  /**
   * What positions mean: [lon, lat] on the map (geographic), or the units of a schematic
   * layout (lib/layout) drawn on a plain canvas (schematic, components/diagram).
   */
  coordinates: "geographic" | "schematic";
  lines: MapLine[];
  buses: MapBus[];
  substations: MapSubstation[];
  pcc: { position: [number, number]; busIndex: number; label?: string } | null;
  streets: FeatureCollection<LineString, { id: string; name: string; kind: string }>;
  buildings: FeatureCollection<Polygon | Point, { id: string; type: string; bus: number }>;
  /** [west, south, east, north]; null when nothing has coordinates. */
  bounds: [number, number, number, number] | null;
  /** Branches and buses that cannot be drawn (no coordinates). */
  undrawnBranches: number;
  undrawnBuses: number;
  /** Buses and branches of the network, for the result arrays' lengths. */
  busCount: number;
  branchCount: number;
}

function isGeography(v: unknown): v is DistrictGeography {
  if (typeof v !== "object" || v === null) return false;
  const g = v as Partial<DistrictGeography>;
  return Array.isArray(g.streets) && Array.isArray(g.buildings) && Array.isArray(g.substations);
}

const finite = (v: number | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** What every step of gridMapData looks up: the network, bus indices and positions, and the buses buildings hang on. */
interface MapIndex {
  net: Network;
  busIndex: Map<number, number>;
  /** [lon, lat] of bus index i, or null. */
  pos: (i: number) => [number, number] | null;
  buildingBuses: Set<number>;
}

/** What the map draws of `net`: lines, buses, substations, the PCC and, for a district, its streets and buildings. */
export function gridMapData(net: Network): GridMapData {
  const geo = isGeography(net.meta?.geography) ? net.meta.geography : null;
  const busIndex = new Map<number, number>();
  net.buses.forEach((b, i) => busIndex.set(b.id, i));
  const pos = (i: number): [number, number] | null => {
    const b = net.buses[i];
    return finite(b.lon) && finite(b.lat) ? [b.lon, b.lat] : null;
  };
  const buildingBuses = new Set(net.loads.filter((l) => l.buildingId !== undefined).map((l) => l.bus));
  const ix: MapIndex = { net, busIndex, pos, buildingBuses };
  const { lines, transformers, trafoBuses, undrawnBranches } = mapLines(ix);
  const { buses, undrawnBuses } = mapBuses(ix, trafoBuses);
  const substations = mapSubstations(ix, geo, transformers);

  const refIndex = net.buses.findIndex((b) => b.type === "REF");
  const pccPos = geo ? ([geo.pcc.lon, geo.pcc.lat] as [number, number]) : refIndex >= 0 ? pos(refIndex) : null;
  const pcc = pccPos ? { position: pccPos, busIndex: geo ? (busIndex.get(geo.pcc.bus) ?? refIndex) : refIndex } : null;

  const { streets, buildings } = geographyFeatures(geo);
  return {
    name: net.name,
    coordinates: "geographic",
    lines,
    buses,
    substations,
    pcc,
    streets,
    buildings,
    bounds: boundsOf(buses, lines, streets, buildings),
    undrawnBranches,
    undrawnBuses,
    busCount: net.buses.length,
    branchCount: net.branches.length,
  };
}

/** Lines with a path (their geometry, else a straight line between their buses); transformers apart, as substations. */
function mapLines(ix: MapIndex): { lines: MapLine[]; transformers: number[]; trafoBuses: Set<number>; undrawnBranches: number } {
  const { net, busIndex, pos, buildingBuses } = ix;
  const trafoBuses = new Set<number>();
  const lines: MapLine[] = [];
  const transformers: number[] = [];
  let undrawnBranches = 0;
  net.branches.forEach((br, l) => {
    const fi = busIndex.get(br.from);
    const ti = busIndex.get(br.to);
    if (fi === undefined || ti === undefined) {
      undrawnBranches++;
      return;
    }
    const transformer = br.kind === "transformer" || (br.kind === undefined && net.buses[fi].baseKv !== net.buses[ti].baseKv);
    if (transformer) {
      transformers.push(l);
      trafoBuses.add(br.from).add(br.to);
      return;
    }
    let path: [number, number][] | null = null;
    if (br.geometry && br.geometry.length >= 2) path = br.geometry.map((c) => [c[0], c[1]]);
    else {
      const a = pos(fi);
      const b = pos(ti);
      if (a && b) path = [a, b];
    }
    if (!path) {
      undrawnBranches++;
      return;
    }
    const kv = Math.max(net.buses[fi].baseKv, net.buses[ti].baseKv);
    lines.push({
      index: l,
      id: br.id,
      kind: kv >= 1 ? "mv" : br.id.includes("-svc-") || buildingBuses.has(br.to) ? "service" : "lv",
      kv,
      path,
      from: br.from,
      to: br.to,
      inService: br.inService,
      ratingMva: br.rateAMva,
      typeName: br.typeName,
      lengthKm: br.lengthKm,
    });
  });
  return { lines, transformers, trafoBuses, undrawnBranches };
}

/** Buses with a position, and the role each plays on the map. */
function mapBuses(ix: MapIndex, trafoBuses: Set<number>): { buses: MapBus[]; undrawnBuses: number } {
  const { net, pos, buildingBuses } = ix;
  const buses: MapBus[] = [];
  let undrawnBuses = 0;
  net.buses.forEach((b, i) => {
    const p = pos(i);
    if (!p) {
      undrawnBuses++;
      return;
    }
    const role: BusRole = b.type === "REF" ? "pcc" : trafoBuses.has(b.id) ? (b.baseKv >= 1 ? "mv" : "busbar") : buildingBuses.has(b.id) ? "building" : b.baseKv >= 1 ? "mv" : "junction";
    buses.push({ index: i, id: b.id, name: b.name ?? String(b.id), position: p, baseKv: b.baseKv, role });
  });
  return { buses, undrawnBuses };
}

/** Substations: from the district geography, else one per transformer at its LV bus. */
function mapSubstations(ix: MapIndex, geo: DistrictGeography | null, transformers: number[]): MapSubstation[] {
  const { net, busIndex, pos } = ix;
  const trafoByBuses = new Map<string, number>();
  for (const l of transformers) trafoByBuses.set(`${net.branches[l].from}:${net.branches[l].to}`, l);
  const substations: MapSubstation[] = [];
  if (geo) {
    for (const s of geo.substations) {
      const t = trafoByBuses.get(`${s.mvBus}:${s.lvBus}`) ?? -1;
      substations.push({
        id: s.id,
        position: [s.lon, s.lat],
        transformerIndex: t,
        mvBusIndex: busIndex.get(s.mvBus) ?? -1,
        lvBusIndex: busIndex.get(s.lvBus) ?? -1,
        typeName: t >= 0 ? net.branches[t].typeName : undefined,
        ratingMva: t >= 0 ? net.branches[t].rateAMva : 0,
      });
    }
  } else {
    for (const l of transformers) {
      const br = net.branches[l];
      const fi = busIndex.get(br.from)!;
      const ti = busIndex.get(br.to)!;
      const [hv, lv] = net.buses[fi].baseKv >= net.buses[ti].baseKv ? [fi, ti] : [ti, fi];
      const p = pos(lv) ?? pos(hv);
      if (!p) continue;
      substations.push({ id: br.name ?? br.id, position: p, transformerIndex: l, mvBusIndex: hv, lvBusIndex: lv, typeName: br.typeName, ratingMva: br.rateAMva });
    }
  }
  return substations;
}

/** The district's streets and buildings as GeoJSON (empty without a geography). */
function geographyFeatures(geo: DistrictGeography | null): Pick<GridMapData, "streets" | "buildings"> {
  const streets: GridMapData["streets"] = {
    type: "FeatureCollection",
    features: (geo?.streets ?? [])
      .filter((s) => s.coordinates.length >= 2)
      .map((s) => ({ type: "Feature", geometry: { type: "LineString", coordinates: s.coordinates }, properties: { id: s.id, name: s.name, kind: s.kind } })),
  };
  const buildings: GridMapData["buildings"] = {
    type: "FeatureCollection",
    features: (geo?.buildings ?? []).map(
      (b): Feature<Polygon | Point, { id: string; type: string; bus: number }> => ({
        type: "Feature",
        geometry: b.footprint && b.footprint.length >= 4 ? { type: "Polygon", coordinates: [b.footprint] } : { type: "Point", coordinates: [b.lon, b.lat] },
        properties: { id: b.id, type: b.type, bus: b.bus },
      }),
    ),
  };
  return { streets, buildings };
}

/** [west, south, east, north] of everything drawn; null when nothing has coordinates. */
function boundsOf(buses: MapBus[], lines: MapLine[], streets: GridMapData["streets"], buildings: GridMapData["buildings"]): GridMapData["bounds"] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const extend = (c: number[]) => {
    w = Math.min(w, c[0]);
    e = Math.max(e, c[0]);
    s = Math.min(s, c[1]);
    n = Math.max(n, c[1]);
  };
  for (const b of buses) extend(b.position);
  for (const l of lines) l.path.forEach(extend);
  for (const f of streets.features) f.geometry.coordinates.forEach(extend);
  for (const f of buildings.features) {
    if (f.geometry.type === "Point") extend(f.geometry.coordinates);
    else f.geometry.coordinates[0].forEach(extend);
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
