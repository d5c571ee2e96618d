import type { Fpu, Load, Network } from "../grid/types";
import { validateNetwork } from "../grid/validate";
import { GridAssembly, typeName } from "./assembly";
import { readBuildingSet, type BuildingSet } from "./building-inputs";
import { DISTRICT_BASE_MVA, MV_TYPE, round6, STATION_TRAFO, TRANSFORMER_PLANNING_UTILISATION } from "./design";
import { buildFeeders } from "./feeders";
import { buildingFpus } from "./fpus";
import { round7, type LonLat } from "./geo";
import { dijkstra, pathLength, type ShortestPaths } from "./graph";
import { buildMvRings } from "./mv-rings";
import { SCENARIO } from "./profiles";
import { createRng, hashString } from "./random";
import { buildNeighbourRouting, buildStreetRouting, type RoutingGraph } from "./routing";
import { LINE_TYPES, LV_KV, MV_KV, TRANSFORMER_TYPES } from "./standard-types";
import { pickPccNode, placeSubstations, type Stations } from "./substations";
import type { BuildOptions, Building, BuildingInput, District, DistrictGeography, Feeder, Street, Substation } from "./types";

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
 *
 * The stages: buildings (building-inputs.ts) → routing graph (routing.ts) →
 * substations and PCC (substations.ts) → 20 kV rings (mv-rings.ts) → 0.4 kV feeders
 * (feeders.ts) → loads and FPUs per building (fpus.ts); GridAssembly (assembly.ts)
 * gives every bus and branch its electrical parameters.
 */
export function buildGridFromBuildings(input: BuildOptions): District {
  const set = readBuildingSet(input);
  const { seed, proj, pos, profiles } = set;
  const { routing, warnings } = routeCables(set);
  const g = routing.graph;

  // Substations: weighted k-means, count from transformer capacity.
  const stations = placeSubstations(pos, profiles, routing, createRng(hashString(`${seed}:kmeans`)));
  // PCC: given, or the routing node farthest from the load centre (the feeder comes in from outside).
  const pccNode = pickPccNode(g, input.pcc ? proj.toLocal([input.pcc.lon, input.pcc.lat]) : null, stations);
  const pccSp = dijkstra(g, [pccNode]);
  const { order, sid } = nameSubstations(stations, pccSp);

  // ---- Network assembly ----
  const grid = new GridAssembly(proj, g);
  const pccLl = grid.nodeLl(pccNode);
  const pccBus = grid.addBus("PCC", MV_KV, pccLl, "REF");
  const { subs, mvBusOf, lvBusOf } = addSubstations(grid, stations, order, sid);

  // 20 kV open rings through the substations.
  const rings = buildMvRings(g, pccNode, pccSp, stations, order, sid, (id, a, b, path, inService) => {
    const len = pathLength(g, path);
    const from = a < 0 ? pccBus : mvBusOf[a];
    const to = b < 0 ? pccBus : mvBusOf[b];
    grid.addLine(id, from, to, LINE_TYPES[MV_TYPE], len / 1000, path.map(grid.nodeLl), 1, inService);
    return len / 1000;
  });

  // 0.4 kV feeders along the shortest-path trees.
  const lv = addLvFeeders(set, routing, stations, order, sid, lvBusOf, grid, subs);
  const { loads, fpus, buildings } = buildingRecords(input.buildings, set, lv.buildingBus, lv.buildingFeeder);

  const streets: Street[] = set.streets.map((s, i) => ({
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
  const base = DISTRICT_BASE_MVA;
  const network: Network = {
    name,
    baseMVA: base,
    buses: grid.buses,
    branches: grid.branches,
    generators: [{ id: "grid", bus: pccBus, pgMw: 0, qgMvar: 0, qmaxMvar: 100, qminMvar: -100, vgPu: 1, mBase: base, inService: true, pmaxMw: 100, pminMw: -100 }],
    loads,
    fpus,
    meta: {
      source: "lib/district",
      description: `${input.buildings.length} buildings, ${stations.nodes.length} substations 20/0.4 kV; ${SCENARIO.label}`,
      crs: "EPSG:4326",
      seed,
      geography,
    },
  };
  validateNetwork(network);
  return {
    seed,
    name,
    network,
    buildings,
    streets,
    substations: subs,
    feeders: lv.feeders,
    rings,
    pcc,
    bounds: boundsOf(network, buildings, streets),
    scenario: SCENARIO.label,
    warnings,
  };
}

/** The routing graph (streets with building taps, or building neighbours) and what a user should know about it. */
function routeCables(set: BuildingSet): { routing: RoutingGraph; warnings: string[] } {
  const { proj, pos, ids } = set;
  const warnings: string[] = [];
  const streetsLocal = set.streets.map((s) => s.coordinates.map((c) => proj.toLocal(c)));
  const routing: RoutingGraph = streetsLocal.length ? buildStreetRouting(streetsLocal, pos) : buildNeighbourRouting(pos);
  if (!streetsLocal.length) warnings.push("no streets given: cables are routed between neighbouring buildings");
  if (routing.links > 0 && streetsLocal.length) warnings.push(`${routing.links} straight cable link(s) join street pieces that do not touch`);
  const far = [...routing.serviceM].map((d, i) => ({ d, i })).filter((x) => x.d > 150);
  if (far.length) warnings.push(`${far.length} building(s) lie more than 150 m from the nearest street (e.g. ${ids[far[0].i]}, ${far[0].d.toFixed(0)} m)`);
  return { routing, warnings };
}

/** Substations in order of street distance from the PCC, named S1 (the nearest), S2, … */
function nameSubstations(stations: Stations, pccSp: ShortestPaths): { order: number[]; sid: (s: number) => string } {
  const k = stations.nodes.length;
  const order = [...Array(k).keys()].sort((a, b) => pccSp.dist[stations.nodes[a]] - pccSp.dist[stations.nodes[b]] || a - b);
  const rank = new Int32Array(k);
  order.forEach((s, r) => (rank[s] = r));
  return { order, sid: (s: number) => `S${rank[s] + 1}` };
}

/** Each substation's 20 kV and 0.4 kV buses and its transformers. */
function addSubstations(grid: GridAssembly, stations: Stations, order: number[], sid: (s: number) => string): { subs: Substation[]; mvBusOf: Int32Array; lvBusOf: Int32Array } {
  const k = stations.nodes.length;
  const subs: Substation[] = [];
  const mvBusOf = new Int32Array(k);
  const lvBusOf = new Int32Array(k);
  for (const s of order) {
    const p = grid.nodeLl(stations.nodes[s]);
    mvBusOf[s] = grid.addBus(`${sid(s)}-MV`, MV_KV, p);
    lvBusOf[s] = grid.addBus(`${sid(s)}-LV`, LV_KV, p);
  }
  for (const s of order) {
    const design = stations.designMva[s];
    const limitLarge = TRANSFORMER_TYPES[STATION_TRAFO].snMva * TRANSFORMER_PLANNING_UTILISATION;
    // Every new compact substation gets the 630 kVA standard unit (parallel units if its
    // area needs more): the common choice for new residential areas, with room to grow.
    const tt = TRANSFORMER_TYPES[STATION_TRAFO];
    const parallel = Math.max(1, Math.ceil(design / limitLarge - 1e-9));
    const p = grid.nodeLl(stations.nodes[s]);
    const id = `trafo-${sid(s)}`;
    grid.addTransformer(id, mvBusOf[s], lvBusOf[s], tt, parallel, p);
    subs.push({
      id: sid(s),
      lon: p[0],
      lat: p[1],
      mvBus: mvBusOf[s],
      lvBus: lvBusOf[s],
      transformer: id,
      typeName: typeName(tt, parallel),
      parallel,
      ratingMva: tt.snMva * parallel,
      buildings: 0,
      feeders: 0,
      designMva: round6(design),
    });
  }
  return { subs, mvBusOf, lvBusOf };
}

/** The 0.4 kV feeders: each building's bus and feeder, and the feeders, counted at their substations. */
function addLvFeeders(
  set: BuildingSet,
  routing: RoutingGraph,
  stations: Stations,
  order: number[],
  sid: (s: number) => string,
  lvBusOf: Int32Array,
  grid: GridAssembly,
  subs: Substation[],
): { buildingBus: Int32Array; buildingFeeder: string[]; feeders: Feeder[] } {
  const n = set.pos.length;
  const buildingBus = new Int32Array(n);
  const buildingFeeder: string[] = new Array(n);
  const feeders: Feeder[] = [];
  const subById = new Map(subs.map((s) => [s.id, s]));
  buildFeeders({
    g: routing.graph,
    routing,
    sp: stations.sp,
    stationNodes: stations.nodes,
    profiles: set.profiles,
    pos: set.pos,
    ids: set.ids,
    sid,
    order,
    lvBusOf,
    grid,
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
  return { buildingBus, buildingFeeder, feeders };
}

/** Loads, FPUs and the district's record of each building. */
function buildingRecords(inputs: BuildingInput[], set: BuildingSet, buildingBus: Int32Array, buildingFeeder: string[]): { loads: Load[]; fpus: Fpu[]; buildings: Building[] } {
  const loads: Load[] = [];
  const fpus: Fpu[] = [];
  const buildings: Building[] = inputs.map((b, i) => {
    const p = set.profiles[i];
    const bus = buildingBus[i];
    const id = set.ids[i];
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
  return { loads, fpus, buildings };
}

/** [west, south, east, north] of the buses, buildings and streets. */
function boundsOf(network: Network, buildings: Building[], streets: Street[]): [number, number, number, number] {
  const lons = network.buses
    .map((b) => b.lon!)
    .concat(
      buildings.map((b) => b.lon),
      streets.flatMap((s) => s.coordinates.map((c) => c[0])),
    );
  const lats = network.buses
    .map((b) => b.lat!)
    .concat(
      buildings.map((b) => b.lat),
      streets.flatMap((s) => s.coordinates.map((c) => c[1])),
    );
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}
