import type { GridMapData, MapBus, MapLine } from "@/lib/map/map-data";

/**
 * Hit testing on the diagram in layout units, on the CPU: buses are points and lines
 * straight segments, so a uniform grid over them answers "what is under the pointer"
 * in microseconds. The diagram uses this instead of deck.gl's GPU picking, which draws
 * every layer once more per hover: under a software renderer that costs as much as a
 * frame (seconds for 10,000 buses).
 */
export interface HitIndex {
  cell: number;
  minX: number;
  minY: number;
  buses: Map<number, MapBus[]>;
  lines: Map<number, MapLine[]>;
}

const key = (cx: number, cy: number) => cy * 1_048_576 + cx;

/** Build the index of a drawing (once per data). */
export function buildHitIndex(data: GridMapData, cell = 2): HitIndex {
  const [minX, minY] = data.bounds ?? [0, 0, 0, 0];
  const idx: HitIndex = { cell, minX, minY, buses: new Map(), lines: new Map() };
  const at = (x: number, y: number): [number, number] => [Math.floor((x - minX) / cell), Math.floor((y - minY) / cell)];
  for (const b of data.buses) {
    const [cx, cy] = at(b.position[0], b.position[1]);
    const k = key(cx, cy);
    const list = idx.buses.get(k);
    if (list) list.push(b);
    else idx.buses.set(k, [b]);
  }
  for (const l of data.lines) {
    const a = l.path[0];
    const b = l.path[l.path.length - 1];
    const [x0, y0] = at(Math.min(a[0], b[0]), Math.min(a[1], b[1]));
    const [x1, y1] = at(Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    // Long lines (hand-moved buses far away) are indexed by their cells up to a bound.
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 4096) continue;
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const k = key(cx, cy);
        const list = idx.lines.get(k);
        if (list) list.push(l);
        else idx.lines.set(k, [l]);
      }
    }
  }
  return idx;
}

function segmentDistance(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

export type Hit = { kind: "bus"; bus: MapBus } | { kind: "line"; line: MapLine };

/**
 * What lies under a point (layout units) within `radius` (layout units): the nearest
 * bus, else the nearest line; null for empty space.
 */
export function hitTest(idx: HitIndex, p: [number, number], radius: number): Hit | null {
  const reach = Math.ceil(radius / idx.cell);
  const cx = Math.floor((p[0] - idx.minX) / idx.cell);
  const cy = Math.floor((p[1] - idx.minY) / idx.cell);
  let bus: MapBus | null = null;
  let busD = radius;
  let line: MapLine | null = null;
  let lineD = radius;
  for (let dx = -reach; dx <= reach; dx++) {
    for (let dy = -reach; dy <= reach; dy++) {
      const k = key(cx + dx, cy + dy);
      for (const b of idx.buses.get(k) ?? []) {
        const d = Math.hypot(b.position[0] - p[0], b.position[1] - p[1]);
        if (d <= busD) {
          busD = d;
          bus = b;
        }
      }
      for (const l of idx.lines.get(k) ?? []) {
        const d = segmentDistance(p, l.path[0], l.path[l.path.length - 1]);
        if (d <= lineD) {
          lineD = d;
          line = l;
        }
      }
    }
  }
  if (bus) return { kind: "bus", bus };
  return line ? { kind: "line", line } : null;
}
