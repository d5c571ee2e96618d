/**
 * Force-directed refinement of a meshed component: the spring–electrical model of
 * Fruchterman and Reingold ("Graph drawing by force-directed placement", 1991; forces
 * d²/K along branches, −C·K²/d between buses) with the adaptive step length of Hu
 * ("Efficient, high-quality force-directed graph drawing", Mathematica Journal 10, 2005,
 * Algorithm 1). Repulsion is summed over buses within `cutoff`·K, found through a uniform
 * grid (Fruchterman and Reingold's grid variant): the Pivot MDS start already holds
 * the grid's large-scale shape, so only the local structure is left to resolve, in
 * O(n) per sweep. Typed arrays only, no randomness: the same grid gives the same drawing.
 */
import { pointExtent } from "./extent";
import type { Component, LayoutGraph } from "./graph";

export interface SpringOptions {
  /** Most sweeps over all buses. */
  sweeps: number;
  /** Relative repulsion C of the model (Hu uses 0.2). */
  repulsion: number;
  /** Repulsion ignored beyond this many natural lengths. */
  cutoff: number;
  /** Stop when the mean move of a sweep falls below this share of K. */
  tolerance: number;
  /** First step length, in K: small, since the start is already close. */
  initialStep: number;
  onSweep?: (fraction: number) => void;
}

export const DEFAULT_SPRING: SpringOptions = { sweeps: 300, repulsion: 0.2, cutoff: 3, tolerance: 1e-3, initialStep: 0.3 };

/** Refine x, y (global arrays) of the component in place; returns the sweeps done. */
export function refineWithSprings(g: LayoutGraph, c: Component, x: Float64Array, y: Float64Array, opts: SpringOptions = DEFAULT_SPRING): number {
  const size = c.nodes.length;
  if (size < 2) return 0;
  const px = Float64Array.from(c.nodes, (v) => x[v]);
  const py = Float64Array.from(c.nodes, (v) => y[v]);
  const { nptr, adj } = localAdjacency(g, c);
  const K = 1;
  const CK2 = opts.repulsion * K * K;
  const R = opts.cutoff * K;
  const R2 = R * R;
  let step = opts.initialStep * K;
  let energy = Infinity;
  let progress = 0;
  // Uniform grid of cell R, rebuilt each sweep (counting sort of the buses by cell).
  const cellOf = new Int32Array(size);
  const order = new Int32Array(size);
  let sweep = 0;
  for (; sweep < opts.sweeps; sweep++) {
    const { cols, rows, start } = bucketBuses(px, py, R, cellOf, order);

    const energy0 = energy;
    energy = 0;
    let moved = 0;
    for (let i = 0; i < size; i++) {
      const xi = px[i];
      const yi = py[i];
      let fx = 0;
      let fy = 0;
      for (let q = nptr[i]; q < nptr[i + 1]; q++) {
        const j = adj[q];
        const dx = px[j] - xi;
        const dy = py[j] - yi;
        const d = Math.sqrt(dx * dx + dy * dy);
        fx += (dx * d) / K;
        fy += (dy * d) / K;
      }
      const cx0 = cellOf[i] % cols;
      const cy0 = (cellOf[i] - cx0) / cols;
      for (let cy = Math.max(0, cy0 - 1); cy <= Math.min(rows - 1, cy0 + 1); cy++) {
        for (let cx = Math.max(0, cx0 - 1); cx <= Math.min(cols - 1, cx0 + 1); cx++) {
          const cell = cy * cols + cx;
          for (let s = start[cell]; s < start[cell + 1]; s++) {
            const j = order[s];
            if (j === i) continue;
            let dx = xi - px[j];
            let dy = yi - py[j];
            let d2 = dx * dx + dy * dy;
            if (d2 > R2) continue;
            if (d2 < 1e-12) {
              // Coincident buses: push apart along a direction fixed by their numbers.
              const a = (i < j ? 1 : -1) * (0.5 + ((i * 7 + j * 13) % 17) / 17);
              dx = 1e-3 * Math.cos(a);
              dy = 1e-3 * Math.sin(a);
              d2 = 1e-6;
            }
            fx += (CK2 * dx) / d2;
            fy += (CK2 * dy) / d2;
          }
        }
      }
      const f = Math.sqrt(fx * fx + fy * fy);
      if (f > 0) {
        px[i] = xi + (step * fx) / f;
        py[i] = yi + (step * fy) / f;
        moved += step;
      }
      energy += f * f;
    }
    // Hu's adaptive cooling: grow the step after five sweeps of falling energy, else shrink it.
    if (energy < energy0) {
      progress++;
      if (progress >= 5) {
        progress = 0;
        step /= 0.9;
      }
    } else {
      progress = 0;
      step *= 0.9;
    }
    opts.onSweep?.((sweep + 1) / opts.sweeps);
    if (moved / size < opts.tolerance * K) {
      sweep++;
      break;
    }
  }
  c.nodes.forEach((v, i) => {
    x[v] = px[i];
    y[v] = py[i];
  });
  return sweep;
}

/** The component's adjacency in local numbering (position in c.nodes), as CSR: neighbours of i are adj[nptr[i]] to adj[nptr[i + 1] - 1]. */
function localAdjacency(g: LayoutGraph, c: Component): { nptr: Int32Array; adj: Int32Array } {
  const size = c.nodes.length;
  const local = new Map<number, number>();
  c.nodes.forEach((v, i) => local.set(v, i));
  const nb: number[] = [];
  const nptr = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) {
    const u = c.nodes[i];
    for (let q = g.ptr[u]; q < g.ptr[u + 1]; q++) nb.push(local.get(g.adj[q])!);
    nptr[i + 1] = nb.length;
  }
  return { nptr, adj: Int32Array.from(nb) };
}

/**
 * Uniform grid of cell R over the buses (counting sort by cell): fills cellOf and
 * order (the buses cell by cell); the buses of cell k are order[start[k]] to order[start[k + 1] - 1].
 */
function bucketBuses(px: Float64Array, py: Float64Array, R: number, cellOf: Int32Array, order: Int32Array): { cols: number; rows: number; start: Int32Array } {
  const size = px.length;
  const { minX, minY, maxX, maxY } = pointExtent(px, py, size);
  const cols = Math.min(4096, Math.floor((maxX - minX) / R) + 1);
  const rows = Math.min(4096, Math.floor((maxY - minY) / R) + 1);
  const start = new Int32Array(cols * rows + 1);
  for (let i = 0; i < size; i++) {
    const cx = Math.min(cols - 1, Math.floor((px[i] - minX) / R));
    const cy = Math.min(rows - 1, Math.floor((py[i] - minY) / R));
    cellOf[i] = cy * cols + cx;
    start[cellOf[i] + 1]++;
  }
  for (let k = 0; k < cols * rows; k++) start[k + 1] += start[k];
  const fill = start.slice(0, cols * rows);
  for (let i = 0; i < size; i++) order[fill[cellOf[i]]++] = i;
  return { cols, rows, start };
}
