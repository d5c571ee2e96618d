/**
 * Quality measures of a drawing: how many pairs of straight edges cross, and how close
 * the two nearest buses are. Both bucket the plane into a uniform grid so they stay
 * near-linear on sparse grids of many thousand buses.
 */

import { pointExtent } from "./extent";

const EPS = 1e-9;

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return Math.abs(v) < EPS ? 0 : Math.sign(v);
}

/** Proper crossings between edges that share no endpoint (touching or collinear overlaps are not counted). */
export function countCrossings(x: ArrayLike<number>, y: ArrayLike<number>, ea: ArrayLike<number>, eb: ArrayLike<number>): number {
  const m = ea.length;
  if (m < 2) return 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let totalLength = 0;
  for (let e = 0; e < m; e++) {
    for (const v of [ea[e], eb[e]]) {
      minX = Math.min(minX, x[v]);
      maxX = Math.max(maxX, x[v]);
      minY = Math.min(minY, y[v]);
      maxY = Math.max(maxY, y[v]);
    }
    totalLength += Math.hypot(x[ea[e]] - x[eb[e]], y[ea[e]] - y[eb[e]]);
  }
  // Cells about as large as an average edge: each edge lands in a few cells.
  const cell = Math.max(totalLength / m, (maxX - minX + (maxY - minY)) / 4096, EPS);
  const cols = Math.max(1, Math.ceil((maxX - minX) / cell) + 1);
  const buckets = new Map<number, number[]>();
  for (let e = 0; e < m; e++) {
    const x0 = Math.floor((Math.min(x[ea[e]], x[eb[e]]) - minX) / cell);
    const x1 = Math.floor((Math.max(x[ea[e]], x[eb[e]]) - minX) / cell);
    const y0 = Math.floor((Math.min(y[ea[e]], y[eb[e]]) - minY) / cell);
    const y1 = Math.floor((Math.max(y[ea[e]], y[eb[e]]) - minY) / cell);
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const key = cy * cols + cx;
        const list = buckets.get(key);
        if (list) list.push(e);
        else buckets.set(key, [e]);
      }
    }
  }
  const counted = new Set<number>();
  let crossings = 0;
  for (const list of buckets.values()) {
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      const a = ea[e];
      const b = eb[e];
      for (let j = i + 1; j < list.length; j++) {
        const f = list[j];
        const c = ea[f];
        const d = eb[f];
        if (a === c || a === d || b === c || b === d) continue;
        const o1 = orient(x[a], y[a], x[b], y[b], x[c], y[c]);
        const o2 = orient(x[a], y[a], x[b], y[b], x[d], y[d]);
        const o3 = orient(x[c], y[c], x[d], y[d], x[a], y[a]);
        const o4 = orient(x[c], y[c], x[d], y[d], x[b], y[b]);
        if (o1 * o2 >= 0 || o3 * o4 >= 0) continue;
        const key = Math.min(e, f) * m + Math.max(e, f);
        if (counted.has(key)) continue;
        counted.add(key);
        crossings++;
      }
    }
  }
  return crossings;
}

/** Smallest distance between two of the points (Infinity for fewer than two). */
export function minPointDistance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Infinity;
  const { minX, minY, maxX, maxY } = pointExtent(x, y, n);
  const cell = Math.max(Math.sqrt(((maxX - minX) * (maxY - minY)) / n), EPS);
  const grid = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = `${Math.floor((x[i] - minX) / cell)},${Math.floor((y[i] - minY) / cell)}`;
    const list = grid.get(key);
    if (list) list.push(i);
    else grid.set(key, [i]);
  }
  let best = Infinity;
  // Each cell against itself and its neighbours; if nothing is found that near, widen.
  for (let reach = 1; ; reach *= 2) {
    for (let i = 0; i < n; i++) {
      const cx = Math.floor((x[i] - minX) / cell);
      const cy = Math.floor((y[i] - minY) / cell);
      for (let dx = -reach; dx <= reach; dx++) {
        for (let dy = -reach; dy <= reach; dy++) {
          for (const j of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
            if (j <= i) continue;
            best = Math.min(best, Math.hypot(x[i] - x[j], y[i] - y[j]));
          }
        }
      }
    }
    if (best <= reach * cell) return best;
  }
}
