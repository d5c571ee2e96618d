import { describe, expect, it } from "vitest";
import { buildGraph, dijkstra, GridIndex, pathTo, UnionFind } from "./graph";
import { weightedKMeans } from "./kmeans";
import { createRng } from "./random";
import { solveTsp, tourLength } from "./tsp";
import { rectanglesOverlap } from "./layout-plots";
import { orientedRectangle, polygonAreaCentroid, projectOnSegment } from "./geo";
import { buildNeighbourRouting, buildStreetRouting } from "./routing";

describe("seeded random numbers", () => {
  it("repeat for a seed, differ between seeds, and stay in range", () => {
    const a = createRng(5);
    const b = createRng(5);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(createRng(6).next()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = createRng(1);
    for (let i = 0; i < 200; i++) {
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
  });
});

describe("Dijkstra over a CSR graph", () => {
  it("matches Floyd–Warshall on a random graph, with correct paths and nearest sources", () => {
    const rng = createRng(11);
    const n = 60;
    const x = Array.from({ length: n }, () => rng.range(0, 500));
    const y = Array.from({ length: n }, () => rng.range(0, 500));
    const edges: [number, number][] = [];
    for (let i = 1; i < n; i++) edges.push([i, rng.int(0, i - 1)]);
    for (let k = 0; k < 80; k++) edges.push([rng.int(0, n - 1), rng.int(0, n - 1)].sort((p, q) => p - q) as [number, number]);
    const g = buildGraph(
      x,
      y,
      edges.filter(([a, b]) => a !== b),
    );
    const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
    for (let e = 0; e < g.ea.length; e++) {
      d[g.ea[e]][g.eb[e]] = Math.min(d[g.ea[e]][g.eb[e]], g.len[e]);
      d[g.eb[e]][g.ea[e]] = d[g.ea[e]][g.eb[e]];
    }
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (d[i][k] + d[k][j] < d[i][j]) d[i][j] = d[i][k] + d[k][j];
    const sp = dijkstra(g, [3, 40]);
    for (let v = 0; v < n; v++) {
      expect(sp.dist[v]).toBeCloseTo(Math.min(d[3][v], d[40][v]), 9);
      expect(sp.source[v]).toBe(d[3][v] <= d[40][v] ? 0 : 1);
      const path = pathTo(sp, v);
      expect([3, 40]).toContain(path[0]);
      expect(path[path.length - 1]).toBe(v);
      let len = 0;
      for (let i = 1; i < path.length; i++) len += Math.hypot(x[path[i]] - x[path[i - 1]], y[path[i]] - y[path[i - 1]]);
      expect(len).toBeCloseTo(sp.dist[v], 9);
    }
  });

  it("leaves unreachable nodes at infinity", () => {
    const g = buildGraph([0, 1, 5], [0, 0, 0], [[0, 1]]);
    const sp = dijkstra(g, [0]);
    expect(sp.dist[2]).toBe(Infinity);
    expect(sp.source[2]).toBe(-1);
    expect(pathTo(sp, 2)).toEqual([]);
  });
});

describe("union–find and grid index", () => {
  it("joins sets", () => {
    const uf = new UnionFind(5);
    uf.union(0, 1);
    uf.union(3, 4);
    expect(uf.find(1)).toBe(uf.find(0));
    expect(uf.find(2)).not.toBe(uf.find(0));
    expect(uf.union(1, 0)).toBe(false);
  });

  it("finds the nearest point like a brute-force search, with a filter", () => {
    const rng = createRng(3);
    const pts = Array.from({ length: 300 }, () => [rng.range(-800, 800), rng.range(-800, 800)]);
    const idx = new GridIndex(37);
    pts.forEach((p, i) => idx.insert(i, p[0], p[1]));
    for (let q = 0; q < 50; q++) {
      const qx = rng.range(-1200, 1200);
      const qy = rng.range(-1200, 1200);
      const d = (i: number) => Math.hypot(pts[i][0] - qx, pts[i][1] - qy);
      const even = (i: number) => i % 2 === 0;
      let best = -1;
      for (let i = 0; i < pts.length; i++) if (even(i) && (best < 0 || d(i) < d(best))) best = i;
      expect(idx.nearest(qx, qy, d, even)!.id).toBe(best);
    }
  });
});

describe("weighted k-means", () => {
  it("recovers well-separated clusters and puts centres at the weighted centres of gravity", () => {
    const rng = createRng(2);
    const centres = [
      [0, 0],
      [1000, 0],
      [0, 1000],
    ];
    const x: number[] = [];
    const y: number[] = [];
    const w: number[] = [];
    centres.forEach(([cx, cy]) => {
      for (let i = 0; i < 40; i++) {
        x.push(cx + rng.range(-50, 50));
        y.push(cy + rng.range(-50, 50));
        w.push(rng.range(1, 10));
      }
    });
    const res = weightedKMeans(Float64Array.from(x), Float64Array.from(y), Float64Array.from(w), 3, createRng(9));
    for (let c = 0; c < 3; c++) {
      const members = [...res.assign.keys()].filter((i) => res.assign[i] === c);
      expect(members.length).toBe(40);
      const sw = members.reduce((s, i) => s + w[i], 0);
      expect(res.cx[c]).toBeCloseTo(members.reduce((s, i) => s + w[i] * x[i], 0) / sw, 6);
      expect(res.cy[c]).toBeCloseTo(members.reduce((s, i) => s + w[i] * y[i], 0) / sw, 6);
    }
  });

  it("rejects impossible k", () => {
    expect(() => weightedKMeans(new Float64Array(2), new Float64Array(2), new Float64Array(2), 3, createRng(1))).toThrow(/k = 3/);
  });
});

describe("travelling-salesman tours", () => {
  const permutations = (xs: number[]): number[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
  const distances = (pts: number[][]) => {
    const n = pts.length;
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
    return d;
  };

  it("Held–Karp is optimal (brute force over 8 points)", () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 5; trial++) {
      const pts = Array.from({ length: 8 }, () => [rng.range(0, 100), rng.range(0, 100)]);
      const d = distances(pts);
      const tour = solveTsp(d, 8);
      expect(tour[0]).toBe(0);
      expect([...tour].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const best = Math.min(...permutations([1, 2, 3, 4, 5, 6, 7]).map((p) => tourLength(d, 8, [0, ...p])));
      expect(tourLength(d, 8, tour)).toBeCloseTo(best, 9);
    }
  });

  it("2-opt gives a valid tour without crossings on a circle (the optimum) for 20 points", () => {
    const n = 20;
    const order = Array.from({ length: n }, (_, i) => (i * 7) % n);
    const pts = order.map((k) => [Math.cos((2 * Math.PI * k) / n), Math.sin((2 * Math.PI * k) / n)]);
    const d = distances(pts);
    const tour = solveTsp(d, n);
    expect([...tour].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
    expect(tourLength(d, n, tour)).toBeCloseTo(2 * n * Math.sin(Math.PI / n), 9);
  });
});

describe("geometry helpers", () => {
  it("projects onto segments, measures polygons, detects overlapping rectangles", () => {
    expect(projectOnSegment([5, 5], [0, 0], [10, 0])).toEqual({ t: 0.5, point: [5, 0], distance: 5 });
    expect(projectOnSegment([-5, 1], [0, 0], [10, 0]).t).toBe(0);
    const sq = orientedRectangle([10, 20], 1, 0, 4, 2);
    const { area, centroid } = polygonAreaCentroid(sq);
    expect(area).toBeCloseTo(8, 12);
    expect(centroid[0]).toBeCloseTo(10, 12);
    expect(centroid[1]).toBeCloseTo(20, 12);
    const s = Math.SQRT1_2;
    expect(rectanglesOverlap(sq, orientedRectangle([13, 20], s, s, 4, 2), 0)).toBe(true);
    expect(rectanglesOverlap(sq, orientedRectangle([20, 20], s, s, 4, 2), 0)).toBe(false);
    expect(rectanglesOverlap(sq, orientedRectangle([14.5, 20], 1, 0, 4, 2), 1)).toBe(true);
  });
});

describe("routing graphs", () => {
  it("taps buildings onto their nearest street segment and joins street pieces that do not touch", () => {
    const streets: [number, number][][] = [
      [
        [0, 0],
        [100, 0],
      ],
      [
        [130, 0],
        [230, 0],
      ],
    ];
    const buildings: [number, number][] = [
      [50, 15],
      [50, -12],
      [200, 20],
      [0, 30],
    ];
    const r = buildStreetRouting(streets, buildings);
    expect(r.links).toBe(1);
    expect(r.serviceM[0]).toBeCloseTo(15, 9);
    expect(r.serviceM[1]).toBeCloseTo(12, 9);
    // Two buildings opposite each other share one tap.
    expect(r.buildingTap[0]).toBe(r.buildingTap[1]);
    expect(r.isTap[r.buildingTap[2]]).toBe(1);
    // A building beyond the street's end taps its end node.
    expect(r.graph.x[r.buildingTap[3]]).toBe(0);
    const sp = dijkstra(r.graph, [0]);
    expect([...sp.dist].every(Number.isFinite)).toBe(true);
    expect(sp.dist[r.buildingTap[2]]).toBeCloseTo(200, 9);
  });

  it("without streets joins buildings to neighbours and keeps one connected piece", () => {
    const pts: [number, number][] = [
      [0, 0],
      [20, 0],
      [40, 5],
      [500, 500],
      [520, 500],
    ];
    const r = buildNeighbourRouting(pts);
    expect(r.links).toBe(1);
    expect([...r.serviceM]).toEqual([0, 0, 0, 0, 0]);
    const sp = dijkstra(r.graph, [0]);
    expect([...sp.dist].every(Number.isFinite)).toBe(true);
  });
});
