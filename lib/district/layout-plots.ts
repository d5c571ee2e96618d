import { GridIndex } from "./graph";
import { orientedRectangle, polylineLength, projectOnSegment, type XY } from "./geo";
import type { StreetNetwork } from "./layout-streets";
import type { BuildingType } from "./profiles";
import type { Rng } from "./random";

/**
 * Building plots of a generated district: the school and community centre beside the
 * main road, then footprints on both sides of every street — rows of townhouses and
 * apartment blocks in their zones, shops on the main road near the centre, single
 * houses and duplexes elsewhere — each clear of the streets and of the others.
 */

export interface Plot {
  type: BuildingType;
  centroid: XY;
  footprint: XY[];
  edge: number;
  /** Selection priority: lower is taken first. */
  priority: number;
  special: boolean;
}

type Zone = "apartment" | "townhouse" | "shop" | "mixed";

/** Every plot that fits along the streets, in a fixed order (civic buildings first). */
export function layPlots(n: number, streets: StreetNetwork, rng: Rng): Plot[] {
  const { lattice, warp, edges: liveEdges, lines } = streets;
  const { X, Y, nx, ny, jm, ic, cx0, cy0 } = lattice;
  const placer = new PlotPlacer(streets);
  const plots: Plot[] = [];
  const centre: XY = warp([0, 0]);
  const spread = Math.max(X[nx], Y[ny]) / 2;
  // Civic buildings in the middle of the blocks beside the main road.
  const civic = (type: BuildingType, i: number, j: number, w: number, d: number) => {
    const cb: XY = [(X[i] + X[i + 1]) / 2 - cx0, (Y[j] + Y[j + 1]) / 2 - cy0];
    const c = warp(cb);
    const e = warp([cb[0] + 1, cb[1]]);
    const ux = e[0] - c[0];
    const uy = e[1] - c[1];
    const l = Math.hypot(ux, uy);
    const ring = orientedRectangle(c, ux / l, uy / l, w, d);
    if (!placer.fits(ring)) return;
    placer.place(ring);
    plots.push({ type, centroid: c, footprint: ring, edge: placer.nearestEdge(c), priority: -2, special: true });
  };
  if (n >= 120 && jm < ny) civic("school", ic, jm, 62, 24);
  if (n >= 60 && jm > 0) civic("community_centre", Math.min(nx - 1, ic + 1), jm - 1, 28, 18);

  const zoneAt = residentialZones(centre, spread, X[nx] * Y[ny], rng);

  // Plots along both sides of every street, in a fixed order.
  liveEdges.forEach((e, k) => {
    if (e.kind === "access") return;
    const pts = lines[k];
    const L = polylineLength(pts);
    const hw = placer.halfWidth(k);
    for (const side of [1, -1]) {
      const clear = e.kind === "cul_de_sac" ? 6 : 14;
      let s = clear + rng.range(0, 6);
      let rowLeft = 0;
      while (s < L - clear) {
        const at = pointAt(pts, s);
        const shape = plotShape(zoneAt(at.p, e.kind === "main"), rowLeft, rng);
        const { type, front, w, d } = shape;
        rowLeft = shape.rowLeft;
        if (s + front > L - clear + 4) break;
        const mid = pointAt(pts, s + w / 2);
        const nx_ = -mid.uy * side;
        const ny_ = mid.ux * side;
        const off = hw + rng.range(4, 7) + d / 2;
        const c: XY = [mid.p[0] + nx_ * off, mid.p[1] + ny_ * off];
        const ring = orientedRectangle(c, mid.ux, mid.uy, w, d);
        if (placer.fits(ring)) {
          placer.place(ring);
          const dc = Math.hypot(c[0] - centre[0], c[1] - centre[1]);
          plots.push({ type, centroid: c, footprint: ring, edge: k, priority: dc + rng.range(0, 35), special: false });
        } else if (type === "townhouse") {
          rowLeft = 0;
        }
        s += front;
      }
    }
  });
  return plots;
}

/** Residential zones: an apartment cluster and a townhouse quarter on either side of the centre, shops on the main road near it. */
function residentialZones(centre: XY, spread: number, area: number, rng: Rng): (p: XY, main: boolean) => Zone {
  const ang = rng.range(0, 2 * Math.PI);
  const aptCentre: XY = [centre[0] + 0.45 * spread * Math.cos(ang), centre[1] + 0.45 * spread * Math.sin(ang)];
  const townCentre: XY = [centre[0] - 0.5 * spread * Math.cos(ang + 0.6), centre[1] - 0.5 * spread * Math.sin(ang + 0.6)];
  const rApt = Math.sqrt((0.05 * area) / Math.PI);
  const rTown = Math.sqrt((0.06 * area) / Math.PI);
  return (p: XY, main: boolean): Zone => {
    if (main && Math.hypot(p[0] - centre[0], p[1] - centre[1]) < 0.45 * spread) return "shop";
    if (Math.hypot(p[0] - aptCentre[0], p[1] - aptCentre[1]) < rApt) return "apartment";
    if (Math.hypot(p[0] - townCentre[0], p[1] - townCentre[1]) < rTown) return "townhouse";
    return "mixed";
  };
}

/**
 * The next plot's building in `zone`: its type, frontage along the street (width and
 * gap), width and depth, m; `rowLeft` counts the townhouses still to come in a row.
 */
function plotShape(zone: Zone, rowLeft: number, rng: Rng): { type: BuildingType; front: number; w: number; d: number; rowLeft: number } {
  if (rowLeft > 0 || zone === "townhouse") {
    const left = rowLeft === 0 ? rng.int(3, 6) : rowLeft;
    const front = left === 1 ? 7 + 6 : 7;
    return { type: "townhouse", w: 7, front, d: rng.range(9.5, 10.5), rowLeft: left - 1 };
  }
  if (zone === "apartment") {
    const w = rng.range(24, 32);
    const front = w + rng.range(8, 12);
    return { type: "apartment", w, front, d: rng.range(12, 15), rowLeft };
  }
  if (zone === "shop" && rng.chance(0.5)) {
    const w = rng.range(14, 20);
    const front = w + rng.range(4, 8);
    return { type: "shop", w, front, d: rng.range(12, 16), rowLeft };
  }
  if (rng.chance(0.22)) {
    const w = rng.range(13, 16);
    const front = w + rng.range(8, 11);
    return { type: "duplex", w, front, d: rng.range(10, 12), rowLeft };
  }
  const w = rng.range(10, 13);
  const front = w + rng.range(7, 11);
  return { type: "single_house", w, front, d: rng.range(8.5, 11), rowLeft };
}

/** Footprints placed so far, and the street segments they must keep clear of. */
class PlotPlacer {
  private readonly segIndex = new GridIndex(40);
  private readonly segs: [XY, XY, number][] = [];
  private readonly placed: { ring: XY[]; c: XY; r: number }[] = [];
  private readonly placedIndex = new GridIndex(40);

  constructor(private readonly streets: StreetNetwork) {
    // Street segments for clearance checks.
    streets.lines.forEach((pts, k) => {
      for (let s = 1; s < pts.length; s++) {
        this.segs.push([pts[s - 1], pts[s], k]);
        this.segIndex.insert(this.segs.length - 1, pts[s - 1][0], pts[s - 1][1], pts[s][0], pts[s][1]);
      }
    });
  }

  /** Half the width of street `k`, m. */
  halfWidth(k: number): number {
    const kind = this.streets.edges[k].kind;
    return kind === "main" || kind === "access" ? 6 : 4.5;
  }

  /** Whether a footprint (closed rectangle) overlaps no placed footprint and keeps clear of the streets. */
  fits(ring: XY[]): boolean {
    const { c, r } = circleOf(ring);
    for (const id of this.placedIndex.query(c[0], c[1], r + 80)) {
      const o = this.placed[id];
      if (Math.hypot(o.c[0] - c[0], o.c[1] - c[1]) > o.r + r + 2) continue;
      if (rectanglesOverlap(ring, o.ring, 2)) return false;
    }
    return this.clearOfStreets(ring);
  }

  place(ring: XY[]): void {
    const { c, r } = circleOf(ring);
    this.placed.push({ ring, c, r });
    this.placedIndex.insert(this.placed.length - 1, c[0] - r, c[1] - r, c[0] + r, c[1] + r);
  }

  /** The street nearest a point. */
  nearestEdge(p: XY): number {
    const segs = this.segs;
    const hit = this.segIndex.nearest(p[0], p[1], (s) => projectOnSegment(p, segs[s][0], segs[s][1]).distance);
    return segs[hit!.id][2];
  }

  /** Corners and edge midpoints of a footprint at least a metre beyond every street's half width. */
  private clearOfStreets(ring: XY[]): boolean {
    const probes: XY[] = [];
    for (let q = 0; q < 4; q++) {
      const p = ring[q];
      const r = ring[q + 1];
      probes.push(p, [(p[0] + r[0]) / 2, (p[1] + r[1]) / 2]);
    }
    for (const p of probes) {
      for (const s of this.segIndex.query(p[0], p[1], 10)) {
        const [a, b, k] = this.segs[s];
        if (projectOnSegment(p, a, b).distance < this.halfWidth(k) + 1) return false;
      }
    }
    return true;
  }
}

/** Centre and circumradius of a rectangle (closed ring). */
function circleOf(ring: XY[]): { c: XY; r: number } {
  const c: XY = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
  return { c, r: Math.hypot(ring[0][0] - c[0], ring[0][1] - c[1]) };
}

/** Point and unit tangent at arc length s along a polyline. */
function pointAt(pts: XY[], s: number): { p: XY; ux: number; uy: number } {
  let acc = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (acc + l >= s || i === pts.length - 1) {
      const t = l > 0 ? Math.max(0, Math.min(1, (s - acc) / l)) : 0;
      return { p: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], ux: (b[0] - a[0]) / (l || 1), uy: (b[1] - a[1]) / (l || 1) };
    }
    acc += l;
  }
  return { p: pts[0], ux: 1, uy: 0 };
}

/** Separating-axis test for two convex quadrilaterals (closed rings), with a minimum gap. */
export function rectanglesOverlap(a: XY[], b: XY[], gap: number): boolean {
  for (const ring of [a, b]) {
    for (let i = 0; i < 4; i++) {
      const ex = ring[i + 1][0] - ring[i][0];
      const ey = ring[i + 1][1] - ring[i][1];
      const l = Math.hypot(ex, ey) || 1;
      const nx = -ey / l;
      const ny = ex / l;
      let minA = Infinity;
      let maxA = -Infinity;
      let minB = Infinity;
      let maxB = -Infinity;
      for (let k = 0; k < 4; k++) {
        const pa = a[k][0] * nx + a[k][1] * ny;
        const pb = b[k][0] * nx + b[k][1] * ny;
        minA = Math.min(minA, pa);
        maxA = Math.max(maxA, pa);
        minB = Math.min(minB, pb);
        maxB = Math.max(maxB, pb);
      }
      if (maxA + gap <= minB || maxB + gap <= minA) return false;
    }
  }
  return true;
}
