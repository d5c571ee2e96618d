/**
 * Pivot MDS: Brandes and Pich, "Eigensolver methods for progressive multidimensional
 * scaling of large data", Graph Drawing 2006 (section 3). Shortest-path distances from
 * k pivots (chosen max–min, starting at the component's root) are double-centred into
 * an n×k matrix C; the coordinates are C times the two leading eigenvectors of CᵀC
 * (k×k), found by power iteration from a fixed start, so the result is deterministic.
 * O(k·(n + m)) time: a good, untangled start for the force refinement of meshed grids.
 */
import type { Component, LayoutGraph } from "./graph";
import type { Pivots } from "./pivots";

/** Leading eigenvector of the symmetric k×k matrix `a` orthogonal to `against` (power iteration). */
function leadingEigenvector(a: Float64Array, k: number, against: Float64Array | null): Float64Array {
  let v = Float64Array.from({ length: k }, (_, i) => 1 + ((i * 7919) % 13) / 13);
  const w = new Float64Array(k);
  for (let it = 0; it < 500; it++) {
    if (against) {
      let dot = 0;
      for (let i = 0; i < k; i++) dot += v[i] * against[i];
      for (let i = 0; i < k; i++) v[i] -= dot * against[i];
    }
    w.fill(0);
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += a[i * k + j] * v[j];
      w[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < k; i++) norm += w[i] * w[i];
    norm = Math.sqrt(norm);
    if (norm === 0) return v;
    let diff = 0;
    for (let i = 0; i < k; i++) {
      const x = w[i] / norm;
      diff = Math.max(diff, Math.abs(x - v[i]));
      w[i] = x;
    }
    v = Float64Array.from(w);
    if (diff < 1e-10) break;
  }
  return v;
}

/** Initial coordinates (global arrays x, y, written for this component's nodes only), scaled so a branch is about one unit. */
export function pivotMds(g: LayoutGraph, c: Component, pv: Pivots, x: Float64Array, y: Float64Array): void {
  const size = c.nodes.length;
  const { k, local } = pv;
  const dist = new Float64Array(size * k);
  for (let i = 0; i < size * k; i++) dist[i] = pv.hops[i] * pv.hops[i];
  // Double centring: C = -1/2 (D - row means - column means + grand mean).
  const colMean = new Float64Array(k);
  let grand = 0;
  for (let i = 0; i < size; i++) for (let p = 0; p < k; p++) colMean[p] += dist[i * k + p];
  for (let p = 0; p < k; p++) {
    grand += colMean[p];
    colMean[p] /= size;
  }
  grand /= size * k;
  for (let i = 0; i < size; i++) {
    let rowMean = 0;
    for (let p = 0; p < k; p++) rowMean += dist[i * k + p];
    rowMean /= k;
    for (let p = 0; p < k; p++) dist[i * k + p] = -0.5 * (dist[i * k + p] - rowMean - colMean[p] + grand);
  }
  // CᵀC and its two leading eigenvectors.
  const ctc = new Float64Array(k * k);
  for (let i = 0; i < size; i++) {
    const row = i * k;
    for (let p = 0; p < k; p++) {
      const cp = dist[row + p];
      if (cp === 0) continue;
      for (let q = p; q < k; q++) ctc[p * k + q] += cp * dist[row + q];
    }
  }
  for (let p = 0; p < k; p++) for (let q = 0; q < p; q++) ctc[p * k + q] = ctc[q * k + p];
  const e1 = leadingEigenvector(ctc, k, null);
  const e2 = leadingEigenvector(ctc, k, e1);
  // Coordinates C·e, scaled so that a branch is about one unit long.
  const px = new Float64Array(size);
  const py = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sx = 0;
    let sy = 0;
    for (let p = 0; p < k; p++) {
      sx += dist[i * k + p] * e1[p];
      sy += dist[i * k + p] * e2[p];
    }
    px[i] = sx;
    py[i] = sy;
  }
  let edgeSum = 0;
  let edgeCount = 0;
  for (let i = 0; i < size; i++) {
    const u = c.nodes[i];
    for (let q = g.ptr[u]; q < g.ptr[u + 1]; q++) {
      const j = local[g.adj[q]];
      if (j <= i) continue;
      edgeSum += Math.hypot(px[i] - px[j], py[i] - py[j]);
      edgeCount++;
    }
  }
  const scale = edgeCount > 0 && edgeSum > 0 ? edgeCount / edgeSum : 1;
  for (let i = 0; i < size; i++) {
    x[c.nodes[i]] = px[i] * scale;
    y[c.nodes[i]] = py[i] * scale;
  }
}
