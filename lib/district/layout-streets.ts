import { UnionFind } from "./graph";
import type { XY } from "./geo";
import type { Rng } from "./random";

/**
 * The streets of a generated district: a lattice of blocks, roughly square overall,
 * warped and rotated, with links removed (T-junctions, long blocks, dead ends), the
 * main road with its access road to the 20 kV feed, and cul-de-sacs into deep blocks.
 */

export type StreetKind = "main" | "residential" | "cul_de_sac" | "access";

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

export interface Edge {
  a: number;
  b: number;
  kind: StreetKind;
  name: string;
  id: string;
  /** Polyline in base (unwarped) coordinates. */
  base: XY[];
}

/** The block lattice before warping: column and row lines, and its nodes. */
export interface Lattice {
  nx: number;
  ny: number;
  /** Lattice row of the main road. */
  jm: number;
  /** Lattice column of the civic centre. */
  ic: number;
  widths: number[];
  heights: number[];
  /** Column (X) and row (Y) lines, m from the lattice's corner. */
  X: number[];
  Y: number[];
  /** The lattice's centre, subtracted from every base position. */
  cx0: number;
  cy0: number;
  /** Node positions in base coordinates (lattice nodes, then the PCC and cul-de-sac nodes). */
  base: XY[];
}

export interface StreetNetwork {
  lattice: Lattice;
  /** Base coordinates to the district's (curved, rotated) coordinates. */
  warp: (p: XY) => XY;
  /** Streets in a fixed order, and each one's warped polyline. */
  edges: Edge[];
  lines: XY[][];
  /** Where the access road leaves the district (base coordinates). */
  pccBase: XY;
}

/** The streets of a district of about `cells` blocks. */
export function layStreets(cells: number, rng: Rng): StreetNetwork {
  const lattice = blockLattice(cells, rng);
  const warp = randomWarp(rng);
  const liveEdges = removeLinks(latticeEdges(lattice), lattice, rng);
  const { base, jm } = lattice;
  const nodeId = (i: number, j: number) => j * (lattice.nx + 1) + i;
  // Access road of the 20 kV feed: the main road continued westwards out of the district.
  const westMain = base[nodeId(0, jm)];
  const pccBase: XY = [westMain[0] - 90, westMain[1] + rng.range(-10, 10)];
  base.push(pccBase);
  const pccNode = base.length - 1;
  liveEdges.push({ a: pccNode, b: nodeId(0, jm), kind: "access", name: MAIN_ROAD, id: "st-access", base: [] });
  addCulDeSacs(liveEdges, lattice, rng);
  // Polylines: subdivide in base coordinates (≤ 12 m), then warp.
  for (const e of liveEdges) {
    const a = base[e.a];
    const b = base[e.b];
    const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 12));
    e.base = Array.from({ length: steps + 1 }, (_, s) => [a[0] + ((b[0] - a[0]) * s) / steps, a[1] + ((b[1] - a[1]) * s) / steps] as XY);
  }
  const lines: XY[][] = liveEdges.map((e) => e.base.map(warp));
  return { lattice, warp, edges: liveEdges, lines, pccBase };
}

/** Lattice of blocks, roughly square overall, its nodes jittered (the main road's row stays straight). */
function blockLattice(cells: number, rng: Rng): Lattice {
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
  const base: XY[] = [];
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const main = j === jm;
      base.push([X[i] - cx0 + rng.range(-6, 6), Y[j] - cy0 + (main ? 0 : rng.range(-6, 6))]);
    }
  }
  return { nx, ny, jm, ic, widths, heights, X, Y, cx0, cy0, base };
}

/** Smooth warp and rotation: curved streets, no two districts alike. */
function randomWarp(rng: Rng): (p: XY) => XY {
  const ph = [rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283)];
  const lam = [rng.range(380, 480), rng.range(240, 300), rng.range(340, 420), rng.range(220, 260)];
  const theta = rng.range(-0.45, 0.45);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  return ([x, y]: XY): XY => {
    const wx = x + 16 * Math.sin((2 * Math.PI * y) / lam[0] + ph[0]) + 7 * Math.sin((2 * Math.PI * x) / lam[1] + ph[1]);
    const wy = y + 13 * Math.sin((2 * Math.PI * x) / lam[2] + ph[2]) + 5 * Math.sin((2 * Math.PI * y) / lam[3] + ph[3]);
    return [wx * cos - wy * sin, wx * sin + wy * cos];
  };
}

/** Every lattice link: rows (the main road's row is the main road), then columns. */
function latticeEdges(lattice: Lattice): Edge[] {
  const { nx, ny, jm } = lattice;
  const nodeId = (i: number, j: number) => j * (nx + 1) + i;
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
  return edges;
}

/** Remove links (never the main road), keeping the lattice connected: T-junctions, long blocks, dead ends. */
function removeLinks(edges: Edge[], lattice: Lattice, rng: Rng): Edge[] {
  const { nx, ny, jm, ic } = lattice;
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
  return edges.filter((_, k) => alive[k]);
}

/** Cul-de-sacs into deep blocks (not the civic ones), each splitting the block's lower street at its foot. */
function addCulDeSacs(liveEdges: Edge[], lattice: Lattice, rng: Rng): void {
  const { nx, ny, jm, ic, widths, heights, base } = lattice;
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
}
