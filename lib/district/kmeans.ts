import type { Rng } from "./random";

export interface KMeansResult {
  cx: Float64Array;
  cy: Float64Array;
  /** Cluster of each point. */
  assign: Int32Array;
  /** Weighted sum of squared distances to the assigned centres, m². */
  inertia: number;
}

/**
 * Weighted k-means (Lloyd's algorithm) with k-means++ seeding (Arthur & Vassilvitskii,
 * "k-means++: the advantages of careful seeding", SODA 2007), best of `restarts`.
 *
 * [P004] section III.A / [P001] section 3.1: the 20/0.4 kV
 * substations are placed by k-means clustering; here the points are the buildings
 * and the weights their design loads, so centres sit at load centres of gravity.
 */
export function weightedKMeans(x: Float64Array, y: Float64Array, w: Float64Array, k: number, rng: Rng, opts: { restarts?: number; maxIterations?: number } = {}): KMeansResult {
  const n = x.length;
  if (k < 1 || k > n) throw new RangeError(`k-means: k = ${k} must lie in [1, ${n}]`);
  const restarts = opts.restarts ?? 5;
  const maxIt = opts.maxIterations ?? 100;
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const res = lloyd(x, y, w, k, rng, maxIt);
    if (!best || res.inertia < best.inertia - 1e-9) best = res;
  }
  return best!;
}

function lloyd(x: Float64Array, y: Float64Array, w: Float64Array, k: number, rng: Rng, maxIt: number): KMeansResult {
  const n = x.length;
  const cx = new Float64Array(k);
  const cy = new Float64Array(k);
  // k-means++: first centre by weight, then proportional to weight · D².
  const d2 = new Float64Array(n).fill(Infinity);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  let pick = sample(w, total, rng);
  for (let c = 0; c < k; c++) {
    cx[c] = x[pick];
    cy[c] = y[pick];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = (x[i] - cx[c]) ** 2 + (y[i] - cy[c]) ** 2;
      if (d < d2[i]) d2[i] = d;
      sum += w[i] * d2[i];
    }
    if (c + 1 < k) {
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) p[i] = w[i] * d2[i];
      pick = sum > 0 ? sample(p, sum, rng) : Math.floor(rng.next() * n);
    }
  }
  const assign = new Int32Array(n).fill(-1);
  const sw = new Float64Array(k);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  let inertia = 0;
  for (let it = 0; it < maxIt; it++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let bc = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (x[i] - cx[c]) ** 2 + (y[i] - cy[c]) ** 2;
        if (d < bd) {
          bd = d;
          bc = c;
        }
      }
      if (assign[i] !== bc) {
        assign[i] = bc;
        changed++;
      }
      inertia += w[i] * bd;
    }
    if (changed === 0 && it > 0) break;
    sw.fill(0);
    sx.fill(0);
    sy.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i];
      sw[c] += w[i];
      sx[c] += w[i] * x[i];
      sy[c] += w[i] * y[i];
    }
    for (let c = 0; c < k; c++) {
      if (sw[c] > 0) {
        cx[c] = sx[c] / sw[c];
        cy[c] = sy[c] / sw[c];
        continue;
      }
      // Empty cluster: move it to the point farthest from its centre.
      let far = 0;
      let fd = -1;
      for (let i = 0; i < n; i++) {
        const a = assign[i];
        const d = (x[i] - cx[a]) ** 2 + (y[i] - cy[a]) ** 2;
        if (d > fd) {
          fd = d;
          far = i;
        }
      }
      cx[c] = x[far];
      cy[c] = y[far];
      assign[far] = c;
    }
  }
  return { cx, cy, assign, inertia };
}

function sample(p: Float64Array, total: number, rng: Rng): number {
  let r = rng.next() * total;
  for (let i = 0; i < p.length; i++) {
    r -= p[i];
    if (r < 0) return i;
  }
  return p.length - 1;
}
