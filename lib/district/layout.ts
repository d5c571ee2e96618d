import { GridIndex, UnionFind } from "./graph";
import { orientedRectangle, polylineLength, projectOnSegment, type XY } from "./geo";
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
  kind: "main" | "residential" | "cul_de_sac" | "access";
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

const ROW_NAMES = [
  "Eichenstraße",
  "Buchenstraße",
  "Ahornstraße",
  "Lindenstraße",
  "Kastanienstraße",
  "Ulmenstraße",
  "Eschenstraße",
  "Birkenstraße",
  "Erlenstraße",
  "Tannenstraße",
  "Fichtenstraße",
  "Kiefernstraße",
  "Lärchenstraße",
  "Weidenstraße",
  "Pappelstraße",
  "Platanenstraße",
];
const COLUMN_NAMES = [
  "Amselweg",
  "Drosselweg",
  "Finkenweg",
  "Meisenweg",
  "Lerchenweg",
  "Starenweg",
  "Spechtweg",
  "Zeisigweg",
  "Kleiberweg",
  "Rotkehlchenweg",
  "Schwalbenweg",
  "Elsterweg",
  "Gimpelweg",
  "Wachtelweg",
  "Sperlingweg",
  "Stieglitzweg",
  "Bussardweg",
  "Falkenweg",
  "Habichtweg",
  "Kranichweg",
];
const COURT_NAMES = ["Am Hain", "Am Wäldchen", "Im Grund", "Am Hang", "Im Winkel", "Am Brunnen", "Im Hof", "Am Rain", "Im Tal", "Am Bühl", "Im Eck", "Am Forst"];
const MAIN_ROAD = "Bergwaldstraße";

function lineName(list: string[], i: number): string {
  return i < list.length ? list[i] : `${list[i % list.length]} ${Math.floor(i / list.length) + 1}`;
}

interface Edge {
  a: number;
  b: number;
  kind: LayoutStreet["kind"];
  name: string;
  id: string;
  /** Polyline in base (unwarped) coordinates. */
  base: XY[];
}

interface Plot {
  type: BuildingType;
  centroid: XY;
  footprint: XY[];
  edge: number;
  /** Selection priority: lower is taken first. */
  priority: number;
  special: boolean;
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

function tryLayout(n: number, cells: number, rng: Rng): Layout | null {
  // Lattice of blocks, roughly square overall.
  const ny = Math.max(1, Math.round(Math.sqrt(cells / 1.35)));
  const nx = Math.max(1, Math.ceil(cells / ny));
  const jm = Math.floor((ny + 1) / 2); // lattice row of the main road
  const ic = Math.floor(nx / 2); // lattice column of the civic centre
  const widths = Array.from({ length: nx }, (_, i) => (i === ic ? rng.range(150, 170) : rng.range(115, 160)));
  const heights = Array.from({ length: ny }, (_, j) => (j === jm || j === jm - 1 ? rng.range(125, 140) : rng.range(80, 135)));
  const X = [0];
  widths.forEach((w) => X.push(X[X.length - 1] + w));
  const Y = [0];
  heights.forEach((h) => Y.push(Y[Y.length - 1] + h));
  const cx0 = X[nx] / 2;
  const cy0 = Y[ny] / 2;
  const nodeId = (i: number, j: number) => j * (nx + 1) + i;
  const base: XY[] = [];
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const main = j === jm;
      base.push([X[i] - cx0 + rng.range(-6, 6), Y[j] - cy0 + (main ? 0 : rng.range(-6, 6))]);
    }
  }

  // Smooth warp and rotation: curved streets, no two districts alike.
  const ph = [rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283)];
  const lam = [rng.range(380, 480), rng.range(240, 300), rng.range(340, 420), rng.range(220, 260)];
  const theta = rng.range(-0.45, 0.45);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const warp = ([x, y]: XY): XY => {
    const wx = x + 16 * Math.sin((2 * Math.PI * y) / lam[0] + ph[0]) + 7 * Math.sin((2 * Math.PI * x) / lam[1] + ph[1]);
    const wy = y + 13 * Math.sin((2 * Math.PI * x) / lam[2] + ph[2]) + 5 * Math.sin((2 * Math.PI * y) / lam[3] + ph[3]);
    return [wx * cos - wy * sin, wx * sin + wy * cos];
  };

  // Lattice edges.
  const edges: Edge[] = [];
  const rowName = (j: number) => (j === jm ? MAIN_ROAD : lineName(ROW_NAMES, j < jm ? j : j - 1));
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i < nx; i++) {
      edges.push({ a: nodeId(i, j), b: nodeId(i + 1, j), kind: j === jm ? "main" : "residential", name: rowName(j), id: `st-h${j}-${i}`, base: [] });
    }
  }
  for (let i = 0; i <= nx; i++) {
    for (let j = 0; j < ny; j++) {
      edges.push({ a: nodeId(i, j), b: nodeId(i, j + 1), kind: "residential", name: lineName(COLUMN_NAMES, i), id: `st-v${i}-${j}`, base: [] });
    }
  }
  // Remove links (never the main road), keeping the lattice connected: T-junctions, long blocks, dead ends.
  const alive = edges.map(() => true);
  const nNodes = (nx + 1) * (ny + 1);
  const connected = () => {
    const uf = new UnionFind(nNodes);
    const used = new Uint8Array(nNodes);
    edges.forEach((e, k) => {
      if (!alive[k]) return;
      uf.union(e.a, e.b);
      used[e.a] = used[e.b] = 1;
    });
    let root = -1;
    for (let v = 0; v < nNodes; v++) {
      if (!used[v]) continue;
      const r = uf.find(v);
      if (root < 0) root = r;
      else if (r !== root) return false;
    }
    return true;
  };
  edges.forEach((e, k) => {
    if (e.kind === "main") return;
    const vertical = e.id.startsWith("st-v");
    const [ia, ja] = [e.a % (nx + 1), Math.floor(e.a / (nx + 1))];
    const boundary = vertical ? ia === 0 || ia === nx : ja === 0 || ja === ny;
    const civic = (vertical && (ia === ic || ia === ic + 1) && (ja === jm || ja === jm - 1)) || (!vertical && ia === ic && (ja === jm + 1 || ja === jm - 1));
    if (civic) return;
    const p = boundary ? 0.12 : vertical ? 0.22 : 0.1;
    if (!rng.chance(p)) return;
    alive[k] = false;
    if (!connected()) alive[k] = true;
  });
  const liveEdges = edges.filter((_, k) => alive[k]);
  // Access road of the 20 kV feed: the main road continued westwards out of the district.
  const westMain = base[nodeId(0, jm)];
  const pccBase: XY = [westMain[0] - 90, westMain[1] + rng.range(-10, 10)];
  base.push(pccBase);
  const pccNode = base.length - 1;
  liveEdges.push({ a: pccNode, b: nodeId(0, jm), kind: "access", name: MAIN_ROAD, id: "st-access", base: [] });
  // Cul-de-sacs into deep blocks (not the civic ones).
  let courts = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      if ((i === ic && j === jm) || (i === ic - 1 && j === jm - 1) || (i === ic + 1 && j === jm - 1)) continue;
      if (heights[j] < 110 || widths[i] < 120 || !rng.chance(0.55)) continue;
      const bottom = liveEdges.find((e) => e.id === `st-h${j}-${i}`);
      if (!bottom) continue;
      const a = base[bottom.a];
      const b = base[bottom.b];
      const t = rng.range(0.4, 0.6);
      const foot: XY = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
      const end: XY = [foot[0] + rng.range(-8, 8), foot[1] + heights[j] * rng.range(0.5, 0.6)];
      base.push(foot, end);
      // Split the lattice edge at the foot of the cul-de-sac.
      const footId = base.length - 2;
      const endId = base.length - 1;
      const k = liveEdges.indexOf(bottom);
      liveEdges.splice(k, 1, { ...bottom, b: footId, id: `${bottom.id}a` }, { ...bottom, a: footId, id: `${bottom.id}b` });
      liveEdges.push({ a: footId, b: endId, kind: "cul_de_sac", name: lineName(COURT_NAMES, courts++), id: `st-c${i}-${j}`, base: [] });
    }
  }
  // Polylines: subdivide in base coordinates (≤ 12 m), then warp.
  for (const e of liveEdges) {
    const a = base[e.a];
    const b = base[e.b];
    const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 12));
    e.base = Array.from({ length: steps + 1 }, (_, s) => [a[0] + ((b[0] - a[0]) * s) / steps, a[1] + ((b[1] - a[1]) * s) / steps] as XY);
  }
  const lines: XY[][] = liveEdges.map((e) => e.base.map(warp));

  // Street segments for clearance checks.
  const segIndex = new GridIndex(40);
  const segs: [XY, XY, number][] = [];
  lines.forEach((pts, k) => {
    for (let s = 1; s < pts.length; s++) {
      segs.push([pts[s - 1], pts[s], k]);
      segIndex.insert(segs.length - 1, pts[s - 1][0], pts[s - 1][1], pts[s][0], pts[s][1]);
    }
  });
  const halfWidth = (k: number) => (liveEdges[k].kind === "main" || liveEdges[k].kind === "access" ? 6 : 4.5);
  const clearOfStreets = (ring: XY[]): boolean => {
    const probes: XY[] = [];
    for (let q = 0; q < 4; q++) {
      const p = ring[q];
      const r = ring[q + 1];
      probes.push(p, [(p[0] + r[0]) / 2, (p[1] + r[1]) / 2]);
    }
    for (const p of probes) {
      for (const s of segIndex.query(p[0], p[1], 10)) {
        const [a, b, k] = segs[s];
        if (projectOnSegment(p, a, b).distance < halfWidth(k) + 1) return false;
      }
    }
    return true;
  };
  const placed: { ring: XY[]; c: XY; r: number }[] = [];
  const placedIndex = new GridIndex(40);
  const fits = (ring: XY[]): boolean => {
    const c: XY = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
    const r = Math.hypot(ring[0][0] - c[0], ring[0][1] - c[1]);
    for (const id of placedIndex.query(c[0], c[1], r + 80)) {
      const o = placed[id];
      if (Math.hypot(o.c[0] - c[0], o.c[1] - c[1]) > o.r + r + 2) continue;
      if (rectanglesOverlap(ring, o.ring, 2)) return false;
    }
    return clearOfStreets(ring);
  };
  const place = (ring: XY[]) => {
    const c: XY = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
    const r = Math.hypot(ring[0][0] - c[0], ring[0][1] - c[1]);
    placed.push({ ring, c, r });
    placedIndex.insert(placed.length - 1, c[0] - r, c[1] - r, c[0] + r, c[1] + r);
  };
  const nearestEdge = (p: XY): number => {
    const hit = segIndex.nearest(p[0], p[1], (s) => projectOnSegment(p, segs[s][0], segs[s][1]).distance);
    return segs[hit!.id][2];
  };

  const plots: Plot[] = [];
  const centre: XY = warp([0, 0]);
  const spread = Math.max(X[nx], Y[ny]) / 2;
  // Civic buildings in the middle of the blocks beside the main road.
  const civic = (type: BuildingType, i: number, j: number, w: number, d: number) => {
    const cb: XY = [(X[i] + X[i + 1]) / 2 - cx0, (Y[j] + Y[j + 1]) / 2 - cy0];
    const c = warp(cb);
    const e = warp([cb[0] + 1, cb[1]]);
    const ux = e[0] - c[0];
    const uy = e[1] - c[1];
    const l = Math.hypot(ux, uy);
    const ring = orientedRectangle(c, ux / l, uy / l, w, d);
    if (!fits(ring)) return;
    place(ring);
    plots.push({ type, centroid: c, footprint: ring, edge: nearestEdge(c), priority: -2, special: true });
  };
  if (n >= 120 && jm < ny) civic("school", ic, jm, 62, 24);
  if (n >= 60 && jm > 0) civic("community_centre", Math.min(nx - 1, ic + 1), jm - 1, 28, 18);

  // Residential zones: an apartment cluster and a townhouse quarter on either side of the centre.
  const ang = rng.range(0, 2 * Math.PI);
  const aptCentre: XY = [centre[0] + 0.45 * spread * Math.cos(ang), centre[1] + 0.45 * spread * Math.sin(ang)];
  const townCentre: XY = [centre[0] - 0.5 * spread * Math.cos(ang + 0.6), centre[1] - 0.5 * spread * Math.sin(ang + 0.6)];
  const area = X[nx] * Y[ny];
  const rApt = Math.sqrt((0.05 * area) / Math.PI);
  const rTown = Math.sqrt((0.06 * area) / Math.PI);
  const zoneAt = (p: XY, main: boolean): "apartment" | "townhouse" | "shop" | "mixed" => {
    if (main && Math.hypot(p[0] - centre[0], p[1] - centre[1]) < 0.45 * spread) return "shop";
    if (Math.hypot(p[0] - aptCentre[0], p[1] - aptCentre[1]) < rApt) return "apartment";
    if (Math.hypot(p[0] - townCentre[0], p[1] - townCentre[1]) < rTown) return "townhouse";
    return "mixed";
  };

  // Plots along both sides of every street, in a fixed order.
  liveEdges.forEach((e, k) => {
    if (e.kind === "access") return;
    const pts = lines[k];
    const L = polylineLength(pts);
    const hw = halfWidth(k);
    for (const side of [1, -1]) {
      const clear = e.kind === "cul_de_sac" ? 6 : 14;
      let s = clear + rng.range(0, 6);
      let rowLeft = 0;
      while (s < L - clear) {
        const at = pointAt(pts, s);
        const zone = zoneAt(at.p, e.kind === "main");
        let type: BuildingType;
        let front: number;
        let w: number;
        let d: number;
        if (rowLeft > 0 || zone === "townhouse") {
          if (rowLeft === 0) rowLeft = rng.int(3, 6);
          type = "townhouse";
          w = 7;
          front = rowLeft === 1 ? 7 + 6 : 7;
          d = rng.range(9.5, 10.5);
          rowLeft--;
        } else if (zone === "apartment") {
          type = "apartment";
          w = rng.range(24, 32);
          front = w + rng.range(8, 12);
          d = rng.range(12, 15);
        } else if (zone === "shop" && rng.chance(0.5)) {
          type = "shop";
          w = rng.range(14, 20);
          front = w + rng.range(4, 8);
          d = rng.range(12, 16);
        } else if (rng.chance(0.22)) {
          type = "duplex";
          w = rng.range(13, 16);
          front = w + rng.range(8, 11);
          d = rng.range(10, 12);
        } else {
          type = "single_house";
          w = rng.range(10, 13);
          front = w + rng.range(7, 11);
          d = rng.range(8.5, 11);
        }
        if (s + front > L - clear + 4) break;
        const mid = pointAt(pts, s + w / 2);
        const nx_ = -mid.uy * side;
        const ny_ = mid.ux * side;
        const off = hw + rng.range(4, 7) + d / 2;
        const c: XY = [mid.p[0] + nx_ * off, mid.p[1] + ny_ * off];
        const ring = orientedRectangle(c, mid.ux, mid.uy, w, d);
        if (fits(ring)) {
          place(ring);
          const dc = Math.hypot(c[0] - centre[0], c[1] - centre[1]);
          plots.push({ type, centroid: c, footprint: ring, edge: k, priority: dc + rng.range(0, 35), special: false });
        } else if (type === "townhouse") {
          rowLeft = 0;
        }
        s += front;
      }
    }
  });

  // Choose exactly n buildings: civic buildings, about one shop per 40 buildings, then the plots nearest the centre.
  const shopsWanted = Math.max(n >= 40 ? 1 : 0, Math.round(n / 40));
  const specials = plots.filter((p) => p.special).slice(0, n);
  const shops = plots.filter((p) => p.type === "shop").sort((a, b) => a.priority - b.priority);
  const chosenShops = shops.slice(0, Math.max(0, Math.min(shopsWanted, n - specials.length)));
  const rest = plots.filter((p) => !p.special && p.type !== "shop").sort((a, b) => a.priority - b.priority);
  if (specials.length + chosenShops.length + rest.length < n) return null;
  const chosen = [...specials, ...chosenShops, ...rest.slice(0, n - specials.length - chosenShops.length)];

  // Drop street pieces nobody lives on, farthest from the centre first, as long as
  // the streets that are lived on (and the access road) stay connected.
  const used = new Uint8Array(liveEdges.length);
  for (const p of chosen) used[p.edge] = 1;
  liveEdges.forEach((e, k) => {
    if (e.kind === "access") used[k] = 1;
  });
  const keep = liveEdges.map(() => true);
  const nAll = base.length;
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

  // Buildings ordered by street and position, so ids read naturally along the streets.
  const orderKey = (p: Plot) => p.edge * 1e6 + Math.round(p.centroid[0] * 10) / 10;
  chosen.sort((a, b) => (a.special === b.special ? orderKey(a) - orderKey(b) : a.special ? -1 : 1));
  return {
    streets: liveEdges.flatMap((e, k) => (keep[k] ? [{ id: e.id, name: e.name, kind: e.kind, points: lines[k] }] : [])),
    buildings: chosen.map((p) => ({ type: p.type, centroid: p.centroid, footprint: p.footprint })),
    pcc: warp(pccBase),
  };
}

/** Point and unit tangent at arc length s along a polyline. */
function pointAt(pts: XY[], s: number): { p: XY; ux: number; uy: number } {
  let acc = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (acc + l >= s || i === pts.length - 1) {
      const t = l > 0 ? Math.max(0, Math.min(1, (s - acc) / l)) : 0;
      return { p: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], ux: (b[0] - a[0]) / (l || 1), uy: (b[1] - a[1]) / (l || 1) };
    }
    acc += l;
  }
  return { p: pts[0], ux: 1, uy: 0 };
}

/** Separating-axis test for two convex quadrilaterals (closed rings), with a minimum gap. */
export function rectanglesOverlap(a: XY[], b: XY[], gap: number): boolean {
  for (const ring of [a, b]) {
    for (let i = 0; i < 4; i++) {
      const ex = ring[i + 1][0] - ring[i][0];
      const ey = ring[i + 1][1] - ring[i][1];
      const l = Math.hypot(ex, ey) || 1;
      const nx = -ey / l;
      const ny = ex / l;
      let minA = Infinity;
      let maxA = -Infinity;
      let minB = Infinity;
      let maxB = -Infinity;
      for (let k = 0; k < 4; k++) {
        const pa = a[k][0] * nx + a[k][1] * ny;
        const pb = b[k][0] * nx + b[k][1] * ny;
        minA = Math.min(minA, pa);
        maxA = Math.max(maxA, pa);
        minB = Math.min(minB, pb);
        maxB = Math.max(maxB, pb);
      }
      if (maxA + gap <= minB || maxB + gap <= minA) return false;
    }
  }
  return true;
}
