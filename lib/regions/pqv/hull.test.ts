import { describe, expect, it } from "vitest";
import { farthestPoints, hullFacets, innerHullPlanes } from "./hull";

type V3 = [number, number, number];
const inside = (fs: { n: V3; d: number }[], x: V3, tol = 1e-9) => fs.every((f) => f.n[0] * x[0] + f.n[1] * x[1] + f.n[2] * x[2] <= f.d + tol);

/** A fixed pseudo-random sequence (the test must not depend on Math.random). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (1664525 * s + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("the inner polytope of a PQV region (convex hull of boundary points)", () => {
  it("a cube's corners and interior points: 6 facets (its triangulated faces merged), every point inside, a point beyond a face outside", () => {
    const pts: V3[] = [];
    for (const x of [0, 1]) for (const y of [0, 2]) for (const z of [0, 3]) pts.push([x, y, z]);
    pts.push([0.5, 1, 1.5], [0.2, 0.3, 0.4]);
    const fs = hullFacets(pts);
    expect(fs).toHaveLength(6);
    for (const p of pts) expect(inside(fs, p)).toBe(true);
    expect(inside(fs, [1.001, 1, 1])).toBe(false);
    expect(inside(fs, [0.5, 1, -0.001])).toBe(false);
  });

  it("points on a sphere in general position: 2m − 4 triangles (Euler), each through 3 of the points, and all points inside", () => {
    const r = rng(7);
    const pts: V3[] = Array.from({ length: 24 }, () => {
      const z = 2 * r() - 1;
      const t = 2 * Math.PI * r();
      const s = Math.sqrt(1 - z * z);
      return [s * Math.cos(t), s * Math.sin(t), z];
    });
    const fs = hullFacets(pts);
    expect(fs).toHaveLength(2 * pts.length - 4);
    for (const f of fs) {
      const on = pts.filter((p) => Math.abs(f.n[0] * p[0] + f.n[1] * p[1] + f.n[2] * p[2] - f.d) < 1e-9);
      expect(on).toHaveLength(3);
    }
    for (const p of pts) expect(inside(fs, p)).toBe(true);
    expect(inside(fs, [0, 0, 0])).toBe(true);
    expect(inside(fs, [0, 0, 1.01])).toBe(false);
  });

  it("points that span no volume give no facet (the OPF then keeps the polynomial)", () => {
    expect(
      hullFacets([
        [0, 0, 0],
        [1, 0, 0],
        [0, 1, 0],
        [1, 1, 0],
        [0.5, 0.5, 0],
      ]),
    ).toEqual([]);
    expect(
      hullFacets([
        [0, 0, 0],
        [1, 0, 0],
        [0, 1, 0],
      ]),
    ).toEqual([]);
  });

  it("farthest-point sampling keeps the extremes: the largest first coordinate first, then the point furthest from it", () => {
    const xs: V3[] = [
      [0, 0, 0],
      [0.1, 0, 0],
      [5, 0, 0],
      [0.2, 0.1, 0],
      [-3, 0, 0],
    ];
    const kept = farthestPoints(xs, 2);
    expect(kept).toEqual([
      [5, 0, 0],
      [-3, 0, 0],
    ]);
    expect(farthestPoints(xs, 10)).toHaveLength(5);
  });

  it("planes in MW, MVAr and p.u.: every traced point within a·p + b·q + c·v ≤ d (to 1e-9 of the frame), points beyond the sampled extremes outside", () => {
    const r = rng(3);
    const pts = Array.from({ length: 200 }, () => {
      // an ellipsoid-like cloud: 4 MW, 2 MVAr and 0.05 p.u. wide around (10, 3, 1)
      const u: V3 = [2 * r() - 1, 2 * r() - 1, 2 * r() - 1];
      const n = Math.max(1, Math.hypot(...u));
      return { pMw: 10 + (2 * u[0]) / n, qMvar: 3 + u[1] / n, vPu: 1 + (0.025 * u[2]) / n };
    });
    const frame = { scale: [2, 1, 0.025] as V3 };
    const planes = innerHullPlanes(pts, frame, 32);
    expect(planes.length).toBeGreaterThanOrEqual(4);
    const slack = (x: { pMw: number; qMvar: number; vPu: number }) =>
      Math.max(...planes.map((h) => (h.a * x.pMw + h.b * x.qMvar + h.c * x.vPu - h.d) / Math.hypot(h.a * frame.scale[0], h.b * frame.scale[1], h.c * frame.scale[2])));
    // The hull of a subset is inside the hull of all: the sampled 32 points are inside, others may be outside.
    const maxP = pts.reduce((a, b) => (b.pMw > a.pMw ? b : a));
    expect(slack(maxP)).toBeLessThanOrEqual(1e-9);
    expect(slack({ pMw: maxP.pMw + 0.01, qMvar: maxP.qMvar, vPu: maxP.vPu })).toBeGreaterThan(0);
    expect(slack({ pMw: 10, qMvar: 3, vPu: 1 })).toBeLessThan(0);
  });
});
