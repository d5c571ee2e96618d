import { UnionFind } from "./graph";
import type { XY } from "./geo";
import { layPlots, type Plot } from "./layout-plots";
import { layStreets, type StreetKind, type StreetNetwork } from "./layout-streets";
import type { BuildingType } from "./profiles";
import type { Rng } from "./random";

/**
 * A Bergwald-like residential layout in local metres: a warped, rotated street
 * lattice with missing links, T-junctions and cul-de-sacs, a curved main road with
 * the 20 kV feed at its western end, and building footprints on plots along the
 * streets — single houses and duplexes, rows of townhouses, a cluster of apartment
 * blocks, shops on the main road, a school and a community centre ([P001],
 * section 3.1: the building mix of the Bergwald district).
 */
export interface LayoutStreet {
  id: string;
  name: string;
  kind: StreetKind;
  points: XY[];
}

export interface LayoutBuilding {
  type: BuildingType;
  centroid: XY;
  footprint: XY[];
}

export interface Layout {
  streets: LayoutStreet[];
  buildings: LayoutBuilding[];
  pcc: XY;
}

/** Plots per lattice cell the sizing starts from; the lattice grows until there are enough plots. */
const PLOTS_PER_CELL = 16;

export function generateLayout(nBuildings: number, rng: Rng): Layout {
  let cells = Math.max(2, Math.ceil(nBuildings / PLOTS_PER_CELL));
  for (let attempt = 0; attempt < 12; attempt++) {
    const layout = tryLayout(nBuildings, cells, rng.fork(`layout-${attempt}`));
    if (layout) return layout;
    cells = Math.ceil(cells * 1.2) + 1;
  }
  throw new Error(`could not lay out ${nBuildings} buildings`);
}

/** A layout of `n` buildings on about `cells` blocks, or null when the streets have too few plots. */
function tryLayout(n: number, cells: number, rng: Rng): Layout | null {
  const streets = layStreets(cells, rng);
  const plots = layPlots(n, streets, rng);
  const chosen = chooseBuildings(plots, n);
  if (!chosen) return null;
  const { edges: liveEdges, lines, warp } = streets;
  const keep = keptStreets(streets, chosen);

  // Buildings ordered by street and position, so ids read naturally along the streets.
  const orderKey = (p: Plot) => p.edge * 1e6 + Math.round(p.centroid[0] * 10) / 10;
  chosen.sort((a, b) => (a.special === b.special ? orderKey(a) - orderKey(b) : a.special ? -1 : 1));
  return {
    streets: liveEdges.flatMap((e, k) => (keep[k] ? [{ id: e.id, name: e.name, kind: e.kind, points: lines[k] }] : [])),
    buildings: chosen.map((p) => ({ type: p.type, centroid: p.centroid, footprint: p.footprint })),
    pcc: warp(streets.pccBase),
  };
}

/**
 * Drop street pieces nobody lives on, farthest from the centre first, as long as
 * the streets that are lived on (and the access road) stay connected.
 */
function keptStreets(streets: StreetNetwork, chosen: Plot[]): boolean[] {
  const { edges: liveEdges, lines } = streets;
  const centre: XY = streets.warp([0, 0]);
  const used = new Uint8Array(liveEdges.length);
  for (const p of chosen) used[p.edge] = 1;
  liveEdges.forEach((e, k) => {
    if (e.kind === "access") used[k] = 1;
  });
  const keep = liveEdges.map(() => true);
  const nAll = streets.lattice.base.length;
  const usedConnected = () => {
    const uf = new UnionFind(nAll);
    liveEdges.forEach((e, k) => {
      if (keep[k]) uf.union(e.a, e.b);
    });
    let root = -1;
    for (let k = 0; k < liveEdges.length; k++) {
      if (!used[k]) continue;
      const r = uf.find(liveEdges[k].a);
      if (root < 0) root = r;
      else if (r !== root) return false;
    }
    return true;
  };
  const midDist = (k: number) => {
    const pts = lines[k];
    const m = pts[Math.floor(pts.length / 2)];
    return Math.hypot(m[0] - centre[0], m[1] - centre[1]);
  };
  const unused = liveEdges
    .map((_, k) => k)
    .filter((k) => !used[k])
    .sort((a, b) => midDist(b) - midDist(a) || a - b);
  for (const k of unused) {
    keep[k] = false;
    if (!usedConnected()) keep[k] = true;
  }
  return keep;
}

/** Exactly n plots: civic buildings, about one shop per 40 buildings, then the plots nearest the centre; null when there are too few. */
function chooseBuildings(plots: Plot[], n: number): Plot[] | null {
  const shopsWanted = Math.max(n >= 40 ? 1 : 0, Math.round(n / 40));
  const specials = plots.filter((p) => p.special).slice(0, n);
  const shops = plots.filter((p) => p.type === "shop").sort((a, b) => a.priority - b.priority);
  const chosenShops = shops.slice(0, Math.max(0, Math.min(shopsWanted, n - specials.length)));
  const rest = plots.filter((p) => !p.special && p.type !== "shop").sort((a, b) => a.priority - b.priority);
  if (specials.length + chosenShops.length + rest.length < n) return null;
  return [...specials, ...chosenShops, ...rest.slice(0, n - specials.length - chosenShops.length)];
}
