/**
 * Synthetic grids without coordinates, for the layout's tests, benchmarks and the
 * browser's scale story: a radial distribution grid (feeders from one substation,
 * long runs with laterals, at most 60 buses deep) and a meshed transmission-like grid
 * (a jittered lattice with some links missing, so it is planar: a good drawing of it
 * needs no crossing). Seeded, so every size is always the same grid.
 */
import type { Branch, Bus, Network } from "../grid/types";
import { mulberry32 } from "../util/mulberry32";

export type SyntheticKind = "radial" | "meshed";

function bus(id: number, ref: boolean, kv: number): Bus {
  return {
    id,
    type: ref ? "REF" : "PQ",
    pdMw: ref ? 0 : 0.02,
    qdMvar: ref ? 0 : 0.006,
    gsMw: 0,
    bsMvar: 0,
    area: 1,
    vmPu: 1,
    vaDeg: 0,
    baseKv: kv,
    zone: 1,
    vmaxPu: 1.1,
    vminPu: 0.9,
  };
}

function branch(k: number, from: number, to: number, rPu: number): Branch {
  return { id: String(k), from, to, rPu, xPu: rPu * 1.2, bPu: 0, rateAMva: 20, rateBMva: 0, rateCMva: 0, tap: 0, shiftDeg: 0, inService: true, angMinDeg: -360, angMaxDeg: 360 };
}

/** Parent of each bus 2..n of a radial grid (feeders of runs and laterals, depth ≤ 60). */
function radialParents(n: number, rand: () => number): Int32Array {
  const parent = new Int32Array(n + 1);
  const depth = new Int32Array(n + 1);
  const feeders = Math.max(1, Math.round(Math.sqrt(n) / 4));
  let last = 1;
  for (let i = 2; i <= n; i++) {
    let p: number;
    if (i <= feeders + 1) p = 1;
    else if (rand() < 0.82 && depth[last] < 60) p = last;
    else {
      // A lateral from a random earlier bus that is not too deep.
      do p = 2 + Math.floor(rand() * (i - 2));
      while (depth[p] >= 60);
    }
    parent[i] = p;
    depth[i] = depth[p] + 1;
    last = i;
  }
  return parent;
}

/** Edges of a jittered-lattice mesh: every lattice link kept with probability 0.55, plus a spanning tree. */
function meshEdges(n: number, rand: () => number): [number, number][] {
  const cols = Math.ceil(Math.sqrt(n));
  const idOf = (r: number, c: number) => r * cols + c + 1;
  const inGrid = (r: number, c: number) => c < cols && idOf(r, c) <= n;
  const edges: [number, number][] = [];
  const seen = new Set<number>();
  const add = (a: number, b: number) => {
    const key = Math.min(a, b) * (n + 1) + Math.max(a, b);
    if (seen.has(key)) return;
    seen.add(key);
    edges.push([a, b]);
  };
  // Spanning tree: a randomized depth-first walk of the lattice from bus 1.
  const visited = new Uint8Array(n + 1);
  const stack = [[0, 0]];
  visited[1] = 1;
  while (stack.length) {
    const [r, c] = stack[stack.length - 1];
    const next = [
      [r + 1, c],
      [r - 1, c],
      [r, c + 1],
      [r, c - 1],
    ].filter(([rr, cc]) => rr >= 0 && cc >= 0 && inGrid(rr, cc) && !visited[idOf(rr, cc)]);
    if (next.length === 0) {
      stack.pop();
      continue;
    }
    const [rr, cc] = next[Math.floor(rand() * next.length)];
    visited[idOf(rr, cc)] = 1;
    add(idOf(r, c), idOf(rr, cc));
    stack.push([rr, cc]);
  }
  for (let id = 1; id <= n; id++) {
    const r = Math.floor((id - 1) / cols);
    const c = (id - 1) % cols;
    if (inGrid(r, c + 1) && rand() < 0.55) add(id, idOf(r, c + 1));
    if (inGrid(r + 1, c) && rand() < 0.55) add(id, idOf(r + 1, c));
  }
  return edges;
}

/** A synthetic grid of `buses` buses (bus 1 is the slack), as a Network without coordinates. */
export function syntheticGrid(buses: number, kind: SyntheticKind, seed = 1): Network {
  if (!Number.isInteger(buses) || buses < 2) throw new Error(`a synthetic grid needs at least 2 buses, got ${buses}`);
  const rand = mulberry32(seed);
  const kv = kind === "radial" ? 20 : 220;
  const busList = Array.from({ length: buses }, (_, i) => bus(i + 1, i === 0, kv));
  let edges: [number, number][];
  if (kind === "radial") {
    const parent = radialParents(buses, rand);
    edges = Array.from({ length: buses - 1 }, (_, k) => [parent[k + 2], k + 2]);
  } else edges = meshEdges(buses, rand);
  const r = kind === "radial" ? 0.0004 : 0.002;
  return {
    name: `synthetic-${kind}-${buses}`,
    baseMVA: 100,
    buses: busList,
    branches: edges.map(([a, b], k) => branch(k + 1, a, b, r)),
    generators: [{ id: "G1", bus: 1, pgMw: 0, qgMvar: 0, qmaxMvar: Infinity, qminMvar: -Infinity, vgPu: 1.02, mBase: 100, inService: true, pmaxMw: 1e4, pminMw: 0 }],
    loads: [],
    fpus: [],
    meta: { source: `lib/layout/synthetic.ts (${kind}, seed ${seed})` },
  };
}
