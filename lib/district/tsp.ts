/**
 * Travelling-salesman tours for medium-voltage routing.
 *
 * [P004] section III.A: the 20 kV lines are routed through the
 * substations by solving a travelling salesman problem. Small instances are solved
 * exactly (Held & Karp, "A dynamic programming approach to sequencing problems",
 * J. SIAM 10(1), 1962); larger ones by nearest neighbour followed by 2-opt
 * improvement (Croes, Operations Research 6(6), 1958).
 */

/**
 * Tours shorter by less than this (in the distance unit, metres here) count as equally
 * long, so centimetre noise in the routing graph cannot change the chosen tour.
 */
const TIE = 0.05;

/** A closed tour through all n points starting at 0, as the visiting order (0 first). */
export function solveTsp(dist: Float64Array, n: number): number[] {
  if (n <= 1) return [0];
  const tour = n <= 12 ? heldKarp(dist, n) : twoOpt(dist, n, nearestNeighbour(dist, n));
  // A tour and its reverse are equally long (symmetric distances): take the one that
  // visits the lower-numbered neighbour of 0 first, so rounding noise cannot flip it.
  return n > 2 && tour[1] > tour[n - 1] ? [0, ...tour.slice(1).reverse()] : tour;
}

export function tourLength(dist: Float64Array, n: number, tour: number[]): number {
  let s = 0;
  for (let i = 0; i < tour.length; i++) s += dist[tour[i] * n + tour[(i + 1) % tour.length]];
  return s;
}

function heldKarp(d: Float64Array, n: number): number[] {
  const m = n - 1;
  const full = 1 << m;
  // cost[S * m + j]: shortest path from 0 through set S (of nodes 1..n-1) ending at j+1.
  const cost = new Float64Array(full * m).fill(Infinity);
  const prev = new Int8Array(full * m).fill(-1);
  for (let j = 0; j < m; j++) cost[(1 << j) * m + j] = d[j + 1];
  for (let s = 1; s < full; s++) {
    for (let j = 0; j < m; j++) {
      if (!(s & (1 << j))) continue;
      const c = cost[s * m + j];
      if (!Number.isFinite(c)) continue;
      for (let k = 0; k < m; k++) {
        if (s & (1 << k)) continue;
        const t = s | (1 << k);
        const nc = c + d[(j + 1) * n + k + 1];
        if (nc < cost[t * m + k] - TIE) {
          cost[t * m + k] = nc;
          prev[t * m + k] = j;
        }
      }
    }
  }
  let bestJ = 0;
  let best = Infinity;
  for (let j = 0; j < m; j++) {
    const c = cost[(full - 1) * m + j] + d[(j + 1) * n];
    if (c < best - TIE) {
      best = c;
      bestJ = j;
    }
  }
  const order: number[] = [];
  let s = full - 1;
  let j = bestJ;
  while (j >= 0) {
    order.push(j + 1);
    const pj = prev[s * m + j];
    s &= ~(1 << j);
    j = pj;
  }
  order.push(0);
  return order.reverse();
}

function nearestNeighbour(d: Float64Array, n: number): number[] {
  const used = new Uint8Array(n);
  const tour = [0];
  used[0] = 1;
  for (let step = 1; step < n; step++) {
    const last = tour[tour.length - 1];
    let bj = -1;
    for (let j = 0; j < n; j++) if (!used[j] && (bj < 0 || d[last * n + j] < d[last * n + bj])) bj = j;
    used[bj] = 1;
    tour.push(bj);
  }
  return tour;
}

function twoOpt(d: Float64Array, n: number, tour: number[]): number[] {
  const t = tour.slice();
  let improved = true;
  while (improved) {
    improved = false;
    for (let i = 0; i < n - 1; i++) {
      for (let k = i + 2; k < n; k++) {
        const a = t[i];
        const b = t[i + 1];
        const c = t[k];
        const e = t[(k + 1) % n];
        if (a === e) continue;
        const delta = d[a * n + c] + d[b * n + e] - d[a * n + b] - d[c * n + e];
        if (delta < -1e-9) {
          // Reverse t[i+1 .. k].
          for (let l = i + 1, r = k; l < r; l++, r--) [t[l], t[r]] = [t[r], t[l]];
          improved = true;
        }
      }
    }
  }
  return t;
}
