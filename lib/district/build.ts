import type { Branch, Bus, Fpu, Load, Network } from "../grid/types";
import { validateNetwork } from "../grid/validate";
import { createProjection, polygonAreaCentroid, round7, type LonLat, type XY } from "./geo";
import { dijkstra, GridIndex, pathTo, type Graph, type ShortestPaths } from "./graph";
import { weightedKMeans } from "./kmeans";
import { coincidenceFactor, DESIGN_POWER_FACTOR, drawProfile, groupDesignMw, SCENARIO, BUILDING_TYPES, COINCIDENCE_INFINITE, type BuildingProfile, type BuildingType } from "./profiles";
import { createRng, hashString } from "./random";
import { buildNeighbourRouting, buildStreetRouting, type RoutingGraph } from "./routing";
import { LINE_TYPES, LV_KV, MV_KV, TRANSFORMER_TYPES, lineRatingMva, linePu, transformerPu, type LineType, type LineTypeName, type TransformerTypeName } from "./standard-types";
import { solveTsp } from "./tsp";
import { DistrictInputError, type Building, type BuildingInput, type District, type DistrictGeography, type Feeder, type MvRing, type StreetInput, type Street, type Substation } from "./types";

/** System base of generated networks, MVA (distribution scale: LV impedances of order 0.1 p.u.). */
export const DISTRICT_BASE_MVA = 1;
/** Planning limits at the design peak: transformers and cables at most 100 % of their rating. */
const TRANSFORMER_PLANNING_UTILISATION = 1.0;
/** Average transformer utilisation the first substation count aims at (reserve for growth and switching). */
const TRANSFORMER_TARGET_UTILISATION = 0.6;
const CABLE_PLANNING_UTILISATION = 1.0;
/** At most this many substations on one 20 kV ring. */
const MAX_STATIONS_PER_RING = 8;
/** Largest extent of a district the builder accepts, km. */
const MAX_EXTENT_KM = 25;
/** Cable joints closer than this are modelled as this much cable (keeps Ybus well conditioned), km. */
const MIN_ELECTRICAL_KM = 0.001;

const FEEDER_TYPE: LineTypeName = "NAYY 4x150 SE";
const HEAVY_FEEDER_TYPE: LineTypeName = "NAYY 4x240 SE";
const SERVICE_TYPES: LineTypeName[] = ["NAYY 4x50 SE", "NAYY 4x150 SE", "NAYY 4x240 SE"];
const MV_TYPE: LineTypeName = "NA2XS2Y 1x185 RM/25 12/20 kV";
const STATION_TRAFO: TransformerTypeName = "0.63 MVA 20/0.4 kV";

export interface BuildOptions {
  buildings: BuildingInput[];
  streets?: StreetInput[];
  seed?: number;
  /** Where the 20 kV feeder enters the district; defaults to the street node farthest from the load centre. */
  pcc?: { lon: number; lat: number };
  name?: string;
}

interface Acc {
  peakKw: number;
  units: number;
  pvKwp: number;
}

const designMva = (a: Acc) => groupDesignMw(a.peakKw, a.units, a.pvKwp) / DESIGN_POWER_FACTOR;

/**
 * Largest voltage drop along an LV feeder at the design load, p.u. of 0.4 kV (from the
 * substation's busbar to the farthest tap): 5 %, which with the transformer's drop of
 * about 2–3 % at full load keeps customers well above 0.9 p.u. at the design peak
 * (EN 50160) and leaves headroom for the voltage rise of PV feed-in.
 */
const LV_DESIGN_DROP_MAX = 0.05;

/** Approximate voltage drop ΔU/U ≈ (R cos φ + X sin φ) · S / U² of apparent power S (MVA) over a cable. */
function dropPu(t: LineType, lengthKm: number, sMva: number): number {
  const sin = Math.sqrt(1 - DESIGN_POWER_FACTOR * DESIGN_POWER_FACTOR);
  return ((t.rOhmPerKm * DESIGN_POWER_FACTOR + t.xOhmPerKm * sin) * lengthKm * sMva) / (t.vnKv * t.vnKv);
}

/** NAYY 4x150 SE when the design load fits it, else 4x240 SE. */
function feederType(designMvaValue: number): LineType {
  return LINE_TYPES[designMvaValue <= lineRatingMva(LINE_TYPES[FEEDER_TYPE]) * CABLE_PLANNING_UTILISATION ? FEEDER_TYPE : HEAVY_FEEDER_TYPE];
}

/**
 * A district grid from buildings (and optionally streets): the one code path behind
 * the default district and uploads.
 *
 * [P004] section III.A, and [P001] section 3.1: first a 20 kV
 * topology with 20/0.4 kV substations placed by k-means and lines routed by a
 * travelling-salesman tour, then the 400 V grid by a minimum-cost flow along the
 * streets. For one source and costs linear in cable length without capacities, the
 * minimum-cost flow decomposes into shortest paths, so each substation's feeders
 * follow its shortest-path tree over the street graph; cable capacity enters by
 * splitting a feeder wherever its design load would exceed the cable's rating.
 */
export function buildGridFromBuildings(input: BuildOptions): District {
  const seed = input.seed ?? 1;
  if (!Number.isInteger(seed)) throw new DistrictInputError(`seed must be an integer, got ${seed}`);
  const inputs = input.buildings;
  if (!Array.isArray(inputs) || inputs.length === 0) throw new DistrictInputError("no buildings: at least one building is needed to build a grid");
  inputs.forEach((b, i) => checkLonLat(b.lon, b.lat, `building ${i}${b.id ? ` (${b.id})` : ""}`));
  const streetsIn = (input.streets ?? []).filter((s) => s.coordinates.length >= 2);
  streetsIn.forEach((s, i) => s.coordinates.forEach((c, k) => checkLonLat(c[0], c[1], `street ${i}${s.id ? ` (${s.id})` : ""}, vertex ${k}`)));

  // Local metric frame about the buildings' mean position.
  let lon0 = 0;
  let lat0 = 0;
  for (const b of inputs) {
    lon0 += b.lon;
    lat0 += b.lat;
  }
  const proj = createProjection(round7(lon0 / inputs.length), round7(lat0 / inputs.length));
  const pos: XY[] = inputs.map((b) => proj.toLocal([b.lon, b.lat]));
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of pos) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const extentKm = Math.max(maxX - minX, maxY - minY) / 1000;
  if (extentKm > MAX_EXTENT_KM) {
    throw new DistrictInputError(`the buildings span ${extentKm.toFixed(1)} km; a district grid is built for areas up to ${MAX_EXTENT_KM} km across (split the upload into districts)`);
  }

  // Ids, types and profiles (each building's draw depends only on the seed and its id).
  const ids = uniqueIds(inputs);
  const types: BuildingType[] = inputs.map((b, i) => {
    if (b.type !== undefined) {
      if (!BUILDING_TYPES.includes(b.type)) throw new DistrictInputError(`building ${i} (${ids[i]}): unknown type '${b.type}' (expected one of ${BUILDING_TYPES.join(", ")})`);
      return b.type;
    }
    return inferType(b, proj.toLocal);
  });
  const profiles: BuildingProfile[] = inputs.map((b, i) => {
    if (b.demandKw !== undefined && !(Number.isFinite(b.demandKw) && b.demandKw >= 0)) {
      throw new DistrictInputError(`building ${i} (${ids[i]}): demand must be a non-negative number of kW, got ${b.demandKw}`);
    }
    return drawProfile(types[i], createRng(hashString(`${seed}:${ids[i]}`)), { applianceKw: b.demandKw, households: b.households });
  });

  // Routing graph: streets with building taps, or building neighbours.
  const warnings: string[] = [];
  const streetsLocal: XY[][] = streetsIn.map((s) => s.coordinates.map((c) => proj.toLocal(c)));
  const routing: RoutingGraph = streetsLocal.length ? buildStreetRouting(streetsLocal, pos) : buildNeighbourRouting(pos);
  if (!streetsLocal.length) warnings.push("no streets given: cables are routed between neighbouring buildings");
  if (routing.links > 0 && streetsLocal.length) warnings.push(`${routing.links} straight cable link(s) join street pieces that do not touch`);
  const far = [...routing.serviceM].map((d, i) => ({ d, i })).filter((x) => x.d > 150);
  if (far.length) warnings.push(`${far.length} building(s) lie more than 150 m from the nearest street (e.g. ${ids[far[0].i]}, ${far[0].d.toFixed(0)} m)`);
  const g = routing.graph;

  // Substations: weighted k-means, count from transformer capacity.
  const stations = placeSubstations(pos, profiles, routing, createRng(hashString(`${seed}:kmeans`)));
  const k = stations.nodes.length;

  // PCC: given, or the routing node farthest from the load centre (the feeder comes in from outside).
  const pccNode = pickPccNode(g, input.pcc ? proj.toLocal([input.pcc.lon, input.pcc.lat]) : null, stations);
  const pccSp = dijkstra(g, [pccNode]);

  // Name substations by street distance from the PCC: S1 is the nearest.
  const order = [...Array(k).keys()].sort((a, b) => pccSp.dist[stations.nodes[a]] - pccSp.dist[stations.nodes[b]] || a - b);
  const rank = new Int32Array(k);
  order.forEach((s, r) => (rank[s] = r));
  const sid = (s: number) => `S${rank[s] + 1}`;

  // ---- Network assembly ----
  const base = DISTRICT_BASE_MVA;
  const buses: Bus[] = [];
  const branches: Branch[] = [];
  const ll = (x: number, y: number): LonLat => proj.toLonLat([x, y]);
  const nodeLl = (v: number): LonLat => ll(g.x[v], g.y[v]);
  const addBus = (name: string, kv: number, p: LonLat, type: Bus["type"] = "PQ"): number => {
    const id = buses.length + 1;
    buses.push({ id, type, pdMw: 0, qdMvar: 0, gsMw: 0, bsMvar: 0, area: 1, vmPu: 1, vaDeg: 0, baseKv: kv, zone: 1, vmaxPu: 1.05, vminPu: 0.95, name, lon: p[0], lat: p[1] });
    return id;
  };
  const addLine = (id: string, from: number, to: number, t: LineType, lengthKm: number, geometry: LonLat[], parallel = 1, inService = true) => {
    const pu = linePu(t, Math.max(lengthKm, MIN_ELECTRICAL_KM), base, parallel);
    branches.push({
      id,
      from,
      to,
      ...pu,
      rateBMva: pu.rateAMva,
      rateCMva: pu.rateAMva,
      tap: 0,
      shiftDeg: 0,
      inService,
      angMinDeg: -360,
      angMaxDeg: 360,
      kind: "line",
      geometry,
      lengthKm,
      typeName: parallel > 1 ? `${parallel}x ${t.name}` : t.name,
    });
  };

  const pccLl = nodeLl(pccNode);
  const pccBus = addBus("PCC", MV_KV, pccLl, "REF");
  const subs: Substation[] = [];
  const mvBusOf = new Int32Array(k);
  const lvBusOf = new Int32Array(k);
  for (const s of order) {
    const p = nodeLl(stations.nodes[s]);
    mvBusOf[s] = addBus(`${sid(s)}-MV`, MV_KV, p);
    lvBusOf[s] = addBus(`${sid(s)}-LV`, LV_KV, p);
  }
  for (const s of order) {
    const design = stations.designMva[s];
    const limitLarge = TRANSFORMER_TYPES[STATION_TRAFO].snMva * TRANSFORMER_PLANNING_UTILISATION;
    // Every new compact substation gets the 630 kVA standard unit (parallel units if its
    // area needs more): the common choice for new residential areas, with room to grow.
    const tt = TRANSFORMER_TYPES[STATION_TRAFO];
    const parallel = Math.max(1, Math.ceil(design / limitLarge - 1e-9));
    const pu = transformerPu(tt, base, parallel);
    const p = nodeLl(stations.nodes[s]);
    const id = `trafo-${sid(s)}`;
    branches.push({
      id,
      from: mvBusOf[s],
      to: lvBusOf[s],
      ...pu,
      rateBMva: pu.rateAMva,
      rateCMva: pu.rateAMva,
      tap: 1,
      shiftDeg: 0,
      inService: true,
      angMinDeg: -360,
      angMaxDeg: 360,
      kind: "transformer",
      geometry: [p, p],
      typeName: parallel > 1 ? `${parallel}x ${tt.name}` : tt.name,
    });
    subs.push({
      id: sid(s),
      lon: p[0],
      lat: p[1],
      mvBus: mvBusOf[s],
      lvBus: lvBusOf[s],
      transformer: id,
      typeName: parallel > 1 ? `${parallel}x ${tt.name}` : tt.name,
      parallel,
      ratingMva: tt.snMva * parallel,
      buildings: 0,
      feeders: 0,
      designMva: round6(design),
    });
  }

  // 20 kV open rings through the substations.
  const rings = buildMvRings(g, pccNode, pccSp, stations, order, sid, (id, a, b, path, inService) => {
    let len = 0;
    for (let i = 1; i < path.length; i++) len += Math.hypot(g.x[path[i]] - g.x[path[i - 1]], g.y[path[i]] - g.y[path[i - 1]]);
    const from = a < 0 ? pccBus : mvBusOf[a];
    const to = b < 0 ? pccBus : mvBusOf[b];
    addLine(id, from, to, LINE_TYPES[MV_TYPE], len / 1000, path.map(nodeLl), 1, inService);
    return len / 1000;
  });

  // 0.4 kV feeders along the shortest-path trees.
  const buildingBus = new Int32Array(inputs.length);
  const buildingFeeder: string[] = new Array(inputs.length);
  const feeders: Feeder[] = [];
  const subById = new Map(subs.map((s) => [s.id, s]));
  buildFeeders({
    g,
    routing,
    sp: stations.sp,
    stationNodes: stations.nodes,
    profiles,
    pos,
    ids,
    sid,
    order,
    lvBusOf,
    addBus,
    addLine,
    nodeLl,
    ll,
    onBuilding: (b, bus, feeder) => {
      buildingBus[b] = bus;
      buildingFeeder[b] = feeder;
    },
    onFeeder: (f) => {
      feeders.push(f);
      const s = subById.get(f.substation)!;
      s.feeders++;
      s.buildings += f.buildings;
    },
  });

  // Loads and FPUs per building.
  const loads: Load[] = [];
  const fpus: Fpu[] = [];
  const buildings: Building[] = inputs.map((b, i) => {
    const p = profiles[i];
    const bus = buildingBus[i];
    const id = ids[i];
    loads.push({ id: `load-${id}`, bus, pMw: p.loadKw / 1000, qMvar: p.loadKvar / 1000, kind: p.type, buildingId: id });
    const units = buildingFpus(id, bus, p);
    fpus.push(...units);
    const footprint = b.footprint && b.footprint.length >= 3 ? b.footprint.map((c) => [round7(c[0]), round7(c[1])] as LonLat) : null;
    return {
      id,
      ...(b.name ? { name: b.name } : {}),
      type: p.type,
      lon: round7(b.lon),
      lat: round7(b.lat),
      footprint,
      households: p.households,
      peakKw: p.peakKw,
      loadKw: p.loadKw,
      loadKvar: p.loadKvar,
      pvKwp: p.pvKwp,
      batteryKw: p.batteryKw,
      evKw: p.evKw,
      heatPumpKw: p.heatPumpKw,
      bus,
      substation: buildingFeeder[i].split("-")[0],
      feeder: buildingFeeder[i],
      fpuIds: units.map((u) => u.id),
    };
  });

  const streets: Street[] = streetsIn.map((s, i) => ({
    id: s.id ?? `street-${i + 1}`,
    name: s.name ?? "",
    kind: s.kind ?? "residential",
    coordinates: s.coordinates.map((c) => [round7(c[0]), round7(c[1])] as LonLat),
  }));
  const pcc = { bus: pccBus, lon: pccLl[0], lat: pccLl[1] };
  const geography: DistrictGeography = {
    streets,
    buildings: buildings.map((b) => ({ id: b.id, type: b.type, lon: b.lon, lat: b.lat, footprint: b.footprint, bus: b.bus })),
    substations: subs.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat, mvBus: s.mvBus, lvBus: s.lvBus })),
    pcc,
  };
  const name = input.name ?? `district-${seed}`;
  const network: Network = {
    name,
    baseMVA: base,
    buses,
    branches,
    generators: [{ id: "grid", bus: pccBus, pgMw: 0, qgMvar: 0, qmaxMvar: 100, qminMvar: -100, vgPu: 1, mBase: base, inService: true, pmaxMw: 100, pminMw: -100 }],
    loads,
    fpus,
    meta: {
      source: "lib/district",
      description: `${inputs.length} buildings, ${k} substations 20/0.4 kV; ${SCENARIO.label}`,
      crs: "EPSG:4326",
      seed,
      geography,
    },
  };
  validateNetwork(network);

  const lons = buses
    .map((b) => b.lon!)
    .concat(
      buildings.map((b) => b.lon),
      streets.flatMap((s) => s.coordinates.map((c) => c[0])),
    );
  const lats = buses
    .map((b) => b.lat!)
    .concat(
      buildings.map((b) => b.lat),
      streets.flatMap((s) => s.coordinates.map((c) => c[1])),
    );
  return {
    seed,
    name,
    network,
    buildings,
    streets,
    substations: subs,
    feeders,
    rings,
    pcc,
    bounds: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    scenario: SCENARIO.label,
    warnings,
  };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function checkLonLat(lon: number, lat: number, what: string): void {
  if (typeof lon !== "number" || typeof lat !== "number" || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new DistrictInputError(`${what}: coordinates must be finite numbers, got [${lon}, ${lat}]`);
  }
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    throw new DistrictInputError(`${what}: [${lon}, ${lat}] is not a WGS84 longitude/latitude pair (lon in [-180, 180], lat in [-90, 90])`);
  }
}

function uniqueIds(inputs: BuildingInput[]): string[] {
  const width = Math.max(4, String(inputs.length).length);
  const seen = new Set<string>();
  return inputs.map((b, i) => {
    let id = b.id !== undefined && String(b.id).trim() !== "" ? String(b.id).trim() : `b${String(i + 1).padStart(width, "0")}`;
    if (seen.has(id)) {
      let n = 2;
      while (seen.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    seen.add(id);
    return id;
  });
}

/** Type from the footprint area when an upload gives none (a point building counts as a single house). */
function inferType(b: BuildingInput, toLocal: (p: LonLat) => XY): BuildingType {
  if (!b.footprint || b.footprint.length < 3) return "single_house";
  const area = polygonAreaCentroid(b.footprint.map(toLocal)).area;
  if (area < 90) return "townhouse";
  if (area < 200) return "single_house";
  if (area < 320) return "duplex";
  return "apartment";
}

interface Stations {
  nodes: Int32Array;
  designMva: Float64Array;
  sp: ShortestPaths;
}

/**
 * Substations by weighted k-means over the buildings (weights: their share of the
 * design load of a large group), snapped to the nearest free street node; each
 * building is then supplied from the substation nearest along the streets. The
 * count starts at total design load / (0.63 MVA · 60 %) — the average utilisation
 * planners aim at, leaving reserve for growth and for taking over a neighbour's load
 * — and grows until one of several k-means runs gives every substation a design
 * load within a 630 kVA transformer's rating.
 */
function placeSubstations(pos: XY[], profiles: BuildingProfile[], routing: RoutingGraph, rng: ReturnType<typeof createRng>): Stations {
  const n = pos.length;
  const g = routing.graph;
  const x = Float64Array.from(pos, (p) => p[0]);
  const y = Float64Array.from(pos, (p) => p[1]);
  const w = Float64Array.from(profiles, (p) => Math.max(COINCIDENCE_INFINITE * p.peakKw, SCENARIO.pvFeedInLimit * p.pvKwp, 0.1));
  const total: Acc = { peakKw: 0, units: 0, pvKwp: 0 };
  for (const p of profiles) addProfile(total, p);
  const large = TRANSFORMER_TYPES[STATION_TRAFO].snMva;
  const k0 = Math.max(1, Math.ceil(designMva(total) / (large * TRANSFORMER_TARGET_UTILISATION)));
  const nodeIndex = new GridIndex(40);
  for (let v = 0; v < g.n; v++) nodeIndex.insert(v, g.x[v], g.y[v]);
  const candidates = [...routing.isTap].filter((t) => !t).length;
  const kMax = Math.max(1, Math.min(n, candidates || g.n, k0 + 8));
  let fallback: Stations | null = null;
  for (let k = Math.min(k0, kMax); k <= kMax; k++) {
    // Several k-means runs per count; the best-clustered run whose substations all fit wins.
    let best: (Stations & { inertia: number }) | null = null;
    // Fewer runs for many substations, where each is costly and the runs differ less.
    const attempts = k <= 16 ? 8 : k <= 40 ? 4 : 2;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const km = weightedKMeans(x, y, w, k, rng, { restarts: 1 });
      const used = new Set<number>();
      const nodes = new Int32Array(k);
      for (let c = 0; c < k; c++) {
        const dist = (v: number) => Math.hypot(g.x[v] - km.cx[c], g.y[v] - km.cy[c]);
        const hit = nodeIndex.nearest(km.cx[c], km.cy[c], dist, (v) => !used.has(v) && !routing.isTap[v]) ?? nodeIndex.nearest(km.cx[c], km.cy[c], dist, (v) => !used.has(v));
        nodes[c] = hit!.id;
        used.add(hit!.id);
      }
      const sp = dijkstra(g, nodes);
      const acc: Acc[] = Array.from({ length: k }, () => ({ peakKw: 0, units: 0, pvKwp: 0 }));
      for (let b = 0; b < n; b++) addProfile(acc[sp.source[routing.buildingTap[b]]], profiles[b]);
      const designs = Float64Array.from(acc, designMva);
      const candidate = { nodes, designMva: designs, sp, inertia: km.inertia };
      fallback = candidate;
      if (designs.every((d) => d <= large * TRANSFORMER_PLANNING_UTILISATION) && (!best || km.inertia < best.inertia)) best = candidate;
    }
    if (best) return best;
  }
  // No count up to kMax fits: the last layout, with parallel transformers where needed.
  return fallback!;
}

function addProfile(a: Acc, p: BuildingProfile): void {
  a.peakKw += p.peakKw;
  a.units += p.households;
  a.pvKwp += p.pvKwp;
}

function pickPccNode(g: Graph, given: XY | null, st: Stations): number {
  if (given) {
    let best = 0;
    let bd = Infinity;
    for (let v = 0; v < g.n; v++) {
      const d = Math.hypot(g.x[v] - given[0], g.y[v] - given[1]);
      if (d < bd) {
        bd = d;
        best = v;
      }
    }
    return best;
  }
  let cx = 0;
  let cy = 0;
  for (const v of st.nodes) {
    cx += g.x[v] / st.nodes.length;
    cy += g.y[v] / st.nodes.length;
  }
  let best = 0;
  let bd = -1;
  for (let v = 0; v < g.n; v++) {
    const d = Math.hypot(g.x[v] - cx, g.y[v] - cy);
    if (d > bd) {
      bd = d;
      best = v;
    }
  }
  return best;
}

/**
 * 20 kV rings: substations grouped by their bearing from the PCC (a sweep, at most
 * MAX_STATIONS_PER_RING per ring), each group toured by a TSP over street distances
 * starting and ending at the PCC, and operated open at the segment that best
 * balances the design load of the two halves (the usual open-ring operation of
 * German 20 kV cable networks).
 */
function buildMvRings(
  g: Graph,
  pccNode: number,
  pccSp: ShortestPaths,
  st: Stations,
  order: number[],
  sid: (s: number) => string,
  addMvLine: (id: string, a: number, b: number, path: number[], inService: boolean) => number,
): MvRing[] {
  const k = st.nodes.length;
  // Shortest paths from every substation (for distances and cable routes).
  const spOf = Array.from({ length: k }, (_, s) => dijkstra(g, [st.nodes[s]]));
  const node = (s: number) => (s < 0 ? pccNode : st.nodes[s]);
  const spFrom = (s: number) => (s < 0 ? pccSp : spOf[s]);
  const distance = (a: number, b: number) => spFrom(a).dist[node(b)];
  const bearing = (s: number) => Math.atan2(g.y[st.nodes[s]] - g.y[pccNode], g.x[st.nodes[s]] - g.x[pccNode]);
  const sorted = [...order].sort((a, b) => bearing(a) - bearing(b) || a - b);
  // The sweep starts after the widest angular gap, so a ring never wraps around the PCC.
  let start = 0;
  if (sorted.length > 1) {
    let gap = -1;
    for (let i = 0; i < sorted.length; i++) {
      const a = bearing(sorted[i]);
      const b = bearing(sorted[(i + 1) % sorted.length]) + (i + 1 === sorted.length ? 2 * Math.PI : 0);
      if (b - a > gap) {
        gap = b - a;
        start = (i + 1) % sorted.length;
      }
    }
  }
  const swept = [...sorted.slice(start), ...sorted.slice(0, start)];
  const nRings = Math.ceil(k / MAX_STATIONS_PER_RING);
  const rings: MvRing[] = [];
  for (let r = 0; r < nRings; r++) {
    const group = swept.slice(Math.round((r * k) / nRings), Math.round(((r + 1) * k) / nRings));
    const pts = [-1, ...group];
    const m = pts.length;
    const d = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) d[i * m + j] = i === j ? 0 : distance(pts[i], pts[j]);
    const tour = solveTsp(d, m).map((i) => pts[i]);
    // Segments tour[i] -> tour[i+1], closing back to the PCC.
    const seq = [...tour, -1];
    const loads = seq.map((s) => (s < 0 ? 0 : st.designMva[s]));
    const total = loads.reduce((a, b) => a + b, 0);
    let open = seq.length - 2;
    if (group.length > 1) {
      let best = Infinity;
      let left = 0;
      for (let i = 1; i < seq.length - 2; i++) {
        left += loads[i];
        const imbalance = Math.abs(2 * left - total);
        if (imbalance < best - 1e-12) {
          best = imbalance;
          open = i;
        }
      }
    }
    let lengthKm = 0;
    let openBranch = "";
    const label = (s: number) => (s < 0 ? "PCC" : sid(s));
    for (let i = 0; i + 1 < seq.length; i++) {
      const a = seq[i];
      const b = seq[i + 1];
      const path = pathTo(spFrom(a), node(b));
      let id = `mv-${label(a)}-${label(b)}`;
      if (group.length === 1 && i === 1) id = `mv-${label(a)}-${label(b)}-reserve`;
      lengthKm += addMvLine(id, a, b, path.length ? path : [node(a), node(b)], i !== open);
      if (i === open) openBranch = id;
    }
    rings.push({ id: `R${r + 1}`, stations: tour.slice(1).map(sid), openBranch, lengthKm: round6(lengthKm) });
  }
  return rings;
}

interface FeederContext {
  g: Graph;
  routing: RoutingGraph;
  sp: ShortestPaths;
  stationNodes: Int32Array;
  profiles: BuildingProfile[];
  pos: XY[];
  ids: string[];
  sid: (s: number) => string;
  order: number[];
  lvBusOf: Int32Array;
  addBus: (name: string, kv: number, p: LonLat) => number;
  addLine: (id: string, from: number, to: number, t: LineType, lengthKm: number, geometry: LonLat[], parallel?: number) => void;
  nodeLl: (v: number) => LonLat;
  ll: (x: number, y: number) => LonLat;
  onBuilding: (b: number, bus: number, feeder: string) => void;
  onFeeder: (f: Feeder) => void;
}

/**
 * Feeders of every substation: its shortest-path tree over the routing graph (the
 * minimum-cost flow of [P004]'s LV stage), cut into feeders in one post-order
 * pass — whenever the design load gathered at a node exceeds a NAYY 4x240 SE cable,
 * its heaviest child subtrees get their own cable from the substation (laid in the
 * same trench), until the rest fits; likewise when the design-load voltage drop to
 * the farthest building would exceed LV_DESIGN_DROP_MAX (then the subtree with the
 * largest drop goes). Feeders use NAYY 4x150 SE when their design load fits it and
 * 4x240 SE otherwise; service cables NAYY 4x50 SE for houses.
 */
function buildFeeders(c: FeederContext): void {
  const { g, routing, sp, profiles } = c;
  const n = g.n;
  const limit = lineRatingMva(LINE_TYPES[HEAVY_FEEDER_TYPE]) * CABLE_PLANNING_UTILISATION;
  // Buildings per tap node.
  const tapBuildings = new Map<number, number[]>();
  profiles.forEach((_, b) => {
    const v = routing.buildingTap[b];
    const list = tapBuildings.get(v) ?? [];
    list.push(b);
    tapBuildings.set(v, list);
  });
  // Children lists and post-order (farthest first: every child is farther than its parent).
  const reach = [...Array(n).keys()].filter((v) => Number.isFinite(sp.dist[v]));
  const post = reach.sort((a, b) => sp.dist[b] - sp.dist[a] || b - a);
  const count = new Int32Array(n);
  for (const v of post) {
    count[v] += tapBuildings.get(v)?.length ?? 0;
    if (sp.parent[v] >= 0) count[sp.parent[v]] += count[v];
  }
  const children: number[][] = Array.from({ length: n }, () => []);
  for (const v of [...post].reverse()) if (sp.parent[v] >= 0 && count[v] > 0) children[sp.parent[v]].push(v);
  const isRoot = new Uint8Array(n);
  for (const s of c.stationNodes) isRoot[s] = 1;

  // Post-order accumulation with cuts.
  const peak = new Float64Array(n);
  const units = new Float64Array(n);
  const pv = new Float64Array(n);
  const cut = new Uint8Array(n);
  /** Largest design-load voltage drop from a node down to the buildings of its (uncut) subtree, p.u. */
  const dropDown = new Float64Array(n);
  const accOf = (v: number): Acc => ({ peakKw: peak[v], units: units[v], pvKwp: pv[v] });
  const dropVia = (v: number, ch: number, t: LineType) => dropPu(t, (sp.dist[ch] - sp.dist[v]) / 1000, designMva(accOf(ch))) + dropDown[ch];
  for (const v of post) {
    if (count[v] === 0) continue;
    for (const b of tapBuildings.get(v) ?? []) {
      peak[v] += profiles[b].peakKw;
      units[v] += profiles[b].households;
      pv[v] += profiles[b].pvKwp;
    }
    if (isRoot[v]) continue;
    const kids = children[v];
    for (const ch of kids) {
      peak[v] += peak[ch];
      units[v] += units[ch];
      pv[v] += pv[ch];
    }
    // Cut while the feeder through v would overload its cable or drop the voltage too far.
    const remaining = [...kids];
    for (;;) {
      const design = designMva(accOf(v));
      const t = feederType(design);
      let below = 0;
      let worst = -1;
      for (const ch of remaining) {
        const d = dropVia(v, ch, t);
        if (d > below) {
          below = d;
          worst = ch;
        }
      }
      const overload = design > limit;
      const tooFar = dropPu(t, sp.dist[v] / 1000, design) + below > LV_DESIGN_DROP_MAX;
      if ((!overload && !tooFar) || remaining.length === 0) {
        dropDown[v] = below;
        break;
      }
      // Overload: split off the heaviest subtree; voltage: the one with the largest drop.
      const ch = overload ? remaining.reduce((a, b) => (designMva(accOf(b)) > designMva(accOf(a)) || (designMva(accOf(b)) === designMva(accOf(a)) && b < a) ? b : a)) : worst;
      remaining.splice(remaining.indexOf(ch), 1);
      cut[ch] = 1;
      peak[v] -= peak[ch];
      units[v] -= units[ch];
      pv[v] -= pv[ch];
    }
  }

  // Feeder roots per substation: the root's children and every cut node.
  const rootsOf: number[][] = Array.from({ length: c.stationNodes.length }, () => []);
  for (const v of post) {
    if (count[v] === 0 || isRoot[v]) continue;
    if (cut[v] || isRoot[sp.parent[v]]) rootsOf[sp.source[v]].push(v);
  }

  for (const s of c.order) {
    const rootNode = c.stationNodes[s];
    const S = c.sid(s);
    const lvBus = c.lvBusOf[s];
    // Buildings tapped at the substation node itself: service cables from the busbar.
    const direct = tapBuildings.get(rootNode) ?? [];
    if (direct.length) {
      const F = `${S}-F0`;
      const total: Acc = { peakKw: 0, units: 0, pvKwp: 0 };
      for (const b of direct) {
        addProfile(total, profiles[b]);
        connectBuilding(c, b, lvBus, rootNode, F);
      }
      c.onFeeder({ id: F, substation: S, typeName: "service cables", parallel: 1, buildings: direct.length, designMva: round6(designMva(total)), ratingMva: 0, lengthKm: 0, headBranch: "" });
    }
    const roots = rootsOf[s].sort((a, b) => sp.dist[a] - sp.dist[b] || a - b);
    roots.forEach((u, fi) => {
      const F = `${S}-F${fi + 1}`;
      const design = designMva(accOf(u));
      const light = design <= lineRatingMva(LINE_TYPES[FEEDER_TYPE]) * CABLE_PLANNING_UTILISATION;
      const type = LINE_TYPES[light ? FEEDER_TYPE : HEAVY_FEEDER_TYPE];
      const parallel = light ? 1 : Math.max(1, Math.ceil(design / limit - 1e-9));
      // Members: u's subtree without cut-off parts.
      const members: number[] = [];
      const stack = [u];
      while (stack.length) {
        const v = stack.pop()!;
        members.push(v);
        for (const ch of children[v]) if (!cut[ch]) stack.push(ch);
      }
      const kidsIn = (v: number) => children[v].filter((ch) => !cut[ch]).length;
      const kept = members.filter((v) => (tapBuildings.get(v)?.length ?? 0) > 0 || kidsIn(v) !== 1).sort((a, b) => sp.dist[a] - sp.dist[b] || a - b);
      const busOf = new Map<number, number>([[rootNode, lvBus]]);
      kept.forEach((v, i) => busOf.set(v, c.addBus(`${F}-n${i + 1}`, LV_KV, c.nodeLl(v))));
      let lengthKm = 0;
      let head = "";
      kept.forEach((v, i) => {
        // Walk up to the next kept node (or the substation).
        const path = [v];
        let p = sp.parent[v];
        while (p >= 0 && !busOf.has(p)) {
          path.push(p);
          p = sp.parent[p];
        }
        path.push(p);
        path.reverse();
        let len = 0;
        for (let j = 1; j < path.length; j++) len += Math.hypot(g.x[path[j]] - g.x[path[j - 1]], g.y[path[j]] - g.y[path[j - 1]]);
        const id = `lv-${F}-${i + 1}`;
        c.addLine(id, busOf.get(p)!, busOf.get(v)!, type, len / 1000, path.map(c.nodeLl), parallel);
        lengthKm += len / 1000;
        if (p === rootNode && !head) head = id;
      });
      let nb = 0;
      for (const v of kept) {
        for (const b of tapBuildings.get(v) ?? []) {
          connectBuilding(c, b, busOf.get(v)!, v, F);
          nb++;
        }
      }
      c.onFeeder({
        id: F,
        substation: S,
        typeName: parallel > 1 ? `${parallel}x ${type.name}` : type.name,
        parallel,
        buildings: nb,
        designMva: round6(design),
        ratingMva: round6(lineRatingMva(type, parallel)),
        lengthKm: round6(lengthKm),
        headBranch: head,
      });
    });
  }
}

/** The building's bus and its service cable from the feeder bus at its tap (none when it sits on the tap). */
function connectBuilding(c: FeederContext, b: number, tapBus: number, tapNode: number, feeder: string): void {
  const id = c.ids[b];
  const lenM = c.routing.serviceM[b];
  if (lenM <= 0) {
    c.onBuilding(b, tapBus, feeder);
    return;
  }
  const p = c.profiles[b];
  // A building's own heat pump and chargers are not diversified on its service cable.
  const undiversified = p.heatPumpKw + p.evKw;
  const design = Math.max(coincidenceFactor(p.households) * (p.peakKw - undiversified) + undiversified, SCENARIO.pvFeedInLimit * p.pvKwp) / 1000 / DESIGN_POWER_FACTOR;
  let type = LINE_TYPES[SERVICE_TYPES[SERVICE_TYPES.length - 1]];
  let parallel = Math.max(1, Math.ceil(design / lineRatingMva(type) - 1e-9));
  for (const name of SERVICE_TYPES) {
    if (design <= lineRatingMva(LINE_TYPES[name])) {
      type = LINE_TYPES[name];
      parallel = 1;
      break;
    }
  }
  const bus = c.addBus(`${feeder}-${id}`, LV_KV, c.ll(c.pos[b][0], c.pos[b][1]));
  c.addLine(`lv-${feeder}-svc-${id}`, tapBus, bus, type, lenM / 1000, [c.nodeLl(tapNode), c.ll(c.pos[b][0], c.pos[b][1])], parallel);
  c.onBuilding(b, bus, feeder);
}

const q = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * A building's FPUs in the scenario's time frame (MW, injection positive):
 * PV scheduled at the feed-in limit, range [0, available] with an inverter PQ chart
 * (cos φ ≥ 0.9 as VDE-AR-N 4105 requires, apparent power ≤ kWp); battery charging,
 * range ± inverter rating, reactive box ±30 %; EV chargers plugged in at noon,
 * range [−plugged, 0]; heat pump running, range [−rating, 0].
 */
function buildingFpus(id: string, bus: number, p: BuildingProfile): Fpu[] {
  const out: Fpu[] = [];
  if (p.pvKwp > 0) {
    const avail = (SCENARIO.pvAvailable * p.pvKwp) / 1000;
    const sched = (Math.min(SCENARIO.pvAvailable, SCENARIO.pvFeedInLimit) * p.pvKwp) / 1000;
    const s = p.pvKwp / 1000;
    const qLim = Math.min(avail * Math.tan(Math.acos(0.9)), Math.sqrt(Math.max(0, s * s - avail * avail)));
    out.push({
      id: `pv-${id}`,
      bus,
      kind: "pv",
      pMw: q(sched),
      pMinMw: 0,
      pMaxMw: q(avail),
      qMvar: 0,
      reactive: {
        type: "polygon",
        points: [
          { pMw: 0, qMvar: 0 },
          { pMw: q(avail), qMvar: -q(qLim) },
          { pMw: q(avail), qMvar: q(qLim) },
        ],
      },
      buildingId: id,
    });
  }
  if (p.batteryKw > 0) {
    const r = p.batteryKw / 1000;
    out.push({
      id: `bat-${id}`,
      bus,
      kind: "battery",
      pMw: q(-SCENARIO.batteryCharge * r),
      pMinMw: q(-r),
      pMaxMw: q(r),
      qMvar: 0,
      reactive: { type: "box", qMinMvar: q(-0.3 * r), qMaxMvar: q(0.3 * r) },
      buildingId: id,
    });
  }
  if (p.evPluggedKw > 0) {
    out.push({
      id: `ev-${id}`,
      bus,
      kind: "ev",
      pMw: q(-p.evChargingKw / 1000),
      pMinMw: q(-p.evPluggedKw / 1000),
      pMaxMw: 0,
      qMvar: 0,
      reactive: { type: "box", qMinMvar: 0, qMaxMvar: 0 },
      buildingId: id,
    });
  }
  if (p.heatPumpKw > 0) {
    const r = p.heatPumpKw / 1000;
    out.push({ id: `hp-${id}`, bus, kind: "heat_pump", pMw: q(-SCENARIO.heatPumpDuty * r), pMinMw: q(-r), pMaxMw: 0, qMvar: 0, reactive: { type: "box", qMinMvar: 0, qMaxMvar: 0 }, buildingId: id });
  }
  return out;
}
