/**
 * Local metric coordinates around a reference point and polyline helpers.
 *
 * A district spans a few kilometres, so an equirectangular projection about its
 * centre (x east, y north, metres) is accurate to well below a metre there; the
 * metres per degree of latitude and longitude are the WGS84 values at the reference
 * latitude (series expansion, e.g. the NGA "length of a degree" formulas).
 */
export type LonLat = [number, number];
export type XY = [number, number];

export interface LocalProjection {
  lon0: number;
  lat0: number;
  mPerDegLon: number;
  mPerDegLat: number;
  toLocal(p: LonLat): XY;
  toLonLat(p: XY): LonLat;
}

export function createProjection(lon0: number, lat0: number): LocalProjection {
  const phi = (lat0 * Math.PI) / 180;
  const mPerDegLat = 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
  const mPerDegLon = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
  return {
    lon0,
    lat0,
    mPerDegLon,
    mPerDegLat,
    toLocal: ([lon, lat]) => [(lon - lon0) * mPerDegLon, (lat - lat0) * mPerDegLat],
    // Rounded to 1e-7° (about 1 cm): stable, compact coordinates in JSON and exports.
    toLonLat: ([x, y]) => [round7(lon0 + x / mPerDegLon), round7(lat0 + y / mPerDegLat)],
  };
}

export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

function dist(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

export function polylineLength(pts: readonly XY[]): number {
  let s = 0;
  for (let i = 1; i < pts.length; i++) s += dist(pts[i - 1], pts[i]);
  return s;
}

/** Closest point on segment ab to p: parameter t in [0, 1], the point and the distance. */
export function projectOnSegment(p: XY, a: XY, b: XY): { t: number; point: XY; distance: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  const point: XY = [a[0] + t * dx, a[1] + t * dy];
  return { t, point, distance: dist(p, point) };
}

/** Shoelace area (absolute, m²) and centroid of a simple polygon ring (closing point optional). */
export function polygonAreaCentroid(ring: readonly XY[]): { area: number; centroid: XY } {
  const n = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.length - 1 : ring.length;
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % n];
    const c = x0 * y1 - x1 * y0;
    a2 += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  if (Math.abs(a2) < 1e-9) {
    // Degenerate ring: the mean of its vertices.
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += ring[i][0];
      my += ring[i][1];
    }
    return { area: 0, centroid: [mx / Math.max(1, n), my / Math.max(1, n)] };
  }
  return { area: Math.abs(a2) / 2, centroid: [cx / (3 * a2), cy / (3 * a2)] };
}

/** Corners of a w × d rectangle centred at c, its w side along the unit direction (ux, uy); closed ring. */
export function orientedRectangle(c: XY, ux: number, uy: number, w: number, d: number): XY[] {
  const vx = -uy;
  const vy = ux;
  const hw = w / 2;
  const hd = d / 2;
  const corner = (sw: number, sd: number): XY => [c[0] + sw * hw * ux + sd * hd * vx, c[1] + sw * hw * uy + sd * hd * vy];
  const ring = [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
  return [...ring, ring[0]];
}
