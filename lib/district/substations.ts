import { dijkstra, GridIndex, type Graph, type ShortestPaths } from "./graph";
import { weightedKMeans } from "./kmeans";
import { addProfile, designMva, STATION_TRAFO, TRANSFORMER_PLANNING_UTILISATION, type Acc } from "./design";
import type { XY } from "./geo";
import { COINCIDENCE_INFINITE, SCENARIO, type BuildingProfile } from "./profiles";
import type { createRng } from "./random";
import type { RoutingGraph } from "./routing";
import { TRANSFORMER_TYPES } from "./standard-types";

/**
 * Where a district's 20/0.4 kV substations stand (weighted k-means, [P001] section
 * 3.1) and where its 20 kV feed comes in (the PCC).
 */

/** Average transformer utilisation the first substation count aims at (reserve for growth and switching). */
const TRANSFORMER_TARGET_UTILISATION = 0.6;

/** Substations: their routing nodes, design loads, and the street distances from them. */
export interface Stations {
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
export function placeSubstations(pos: XY[], profiles: BuildingProfile[], routing: RoutingGraph, rng: ReturnType<typeof createRng>): Stations {
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

/** The PCC's routing node: the one nearest the given point, else the one farthest from the substations' centre. */
export function pickPccNode(g: Graph, given: XY | null, st: Stations): number {
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
