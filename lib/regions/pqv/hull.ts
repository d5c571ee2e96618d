import type { Frame } from "../exact-solver";

/**
 * The inner polytope of a PQV region: the convex hull of boundary points the AC-OPF reached,
 * as planes a·p + b·q + c·v ≤ d (MW, MVAr, p.u.). Every vertex is an exchange the feeder can
 * hold within all its limits, so on a convex region every point of the hull can be held too —
 * unlike the fitted polynomial, which bulges past the region's flat faces (a unit at its P
 * limit), where the TSO's optimum tends to sit. The vertices are PCC exchanges only, never a
 * unit's dispatch.
 *
 * A subset of the traced points is kept by farthest-point sampling (in the frame normalized by
 * its scale), so the TSO's OPF gets about 80 rows per region, not the 330 facets of every
 * point's hull. Measured on the 29-feeder study (48 of about 270 points per feeder): no
 * violation after post-coordination, cost +0.017 % against the voltage-coupled centralized
 * AC-OPF (32 points: +0.018 %, and +0.082 % on the three-feeder test study, where 48 give
 * +0.001 %; 64 points: +0.012 % with a third more rows).
 */
export interface HullPlane {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** Points kept for the hull (see above). */
export const HULL_POINTS = 48;

type V3 = [number, number, number];

export function innerHullPlanes(points: { pMw: number; qMvar: number; vPu: number }[], frame: Pick<Frame, "scale">, keep = HULL_POINTS): HullPlane[] {
  const s = frame.scale;
  const xs: V3[] = points.map((p) => [p.pMw / s[0], p.qMvar / s[1], p.vPu / s[2]]);
  const chosen = farthestPoints(xs, keep);
  return hullFacets(chosen).map(({ n, d }) => ({ a: n[0] / s[0], b: n[1] / s[1], c: n[2] / s[2], d }));
}

/** Farthest-point sampling: start at the point of largest first coordinate, then add the point furthest from those chosen. */
export function farthestPoints(xs: V3[], keep: number): V3[] {
  if (xs.length <= keep) return xs.slice();
  let first = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i][0] > xs[first][0]) first = i;
  const chosen = [first];
  const dist = xs.map((x) => dist3(x, xs[first]));
  while (chosen.length < keep) {
    let far = 0;
    for (let i = 1; i < xs.length; i++) if (dist[i] > dist[far]) far = i;
    chosen.push(far);
    for (let i = 0; i < xs.length; i++) dist[i] = Math.min(dist[i], dist3(xs[i], xs[far]));
  }
  return chosen.map((i) => xs[i]);
}

/**
 * The facets of the convex hull of a few points (unit normal n, offset d: n·x ≤ d inside), by
 * testing every triple's plane against all points — O(n⁴), a million products for
 * 48 points, and without the bookkeeping where incremental hulls fail on nearly coplanar
 * points. Coplanar triples give one facet. Fewer than 4 points, or points that span no volume,
 * give no facet.
 */
export function hullFacets(xs: V3[]): { n: V3; d: number }[] {
  const m = xs.length;
  if (m < 4) return [];
  const span = Math.max(...[0, 1, 2].map((k) => Math.max(...xs.map((x) => x[k])) - Math.min(...xs.map((x) => x[k]))));
  const tol = 1e-9 * Math.max(span, 1e-12);
  const out: { n: V3; d: number }[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      for (let k = j + 1; k < m; k++) {
        const u = sub(xs[j], xs[i]);
        const w = sub(xs[k], xs[i]);
        const c: V3 = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
        const len = Math.hypot(c[0], c[1], c[2]);
        if (len < tol * span) continue;
        let n: V3 = [c[0] / len, c[1] / len, c[2] / len];
        let d = dot(n, xs[i]);
        let above = 0;
        let below = 0;
        for (let l = 0; l < m; l++) {
          const e = dot(n, xs[l]) - d;
          if (e > tol) above++;
          else if (e < -tol) below++;
          if (above && below) break;
        }
        if (above && below) continue;
        if (above === 0 && below === 0) return []; // every point on one plane: no volume
        if (above) {
          n = [-n[0], -n[1], -n[2]];
          d = -d;
        }
        if (!out.some((f) => Math.abs(f.d - d) <= 1e3 * tol && dist3(f.n, n) <= 1e-7)) out.push({ n, d });
      }
    }
  }
  return out;
}

function sub(a: V3, b: V3): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function dot(a: V3, b: V3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function dist3(a: V3, b: V3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
