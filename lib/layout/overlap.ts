/**
 * Overlap removal: buses of a drawing that lie closer than `minDistance` are pushed
 * apart along the line between them (each by half of what is missing; coincident ones
 * along a direction fixed by their numbers), a few sweeps over a uniform grid until no
 * pair is too close. Keeps a force drawing's shape while guaranteeing distinct buses.
 */

export function separateBuses(x: Float64Array, y: Float64Array, nodes: ArrayLike<number>, minDistance: number, maxSweeps = 30): number {
  const size = nodes.length;
  const cell = minDistance;
  const min2 = minDistance * minDistance;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    const grid = new Map<number, number[]>();
    let minX = Infinity;
    let minY = Infinity;
    for (let i = 0; i < size; i++) {
      minX = Math.min(minX, x[nodes[i]]);
      minY = Math.min(minY, y[nodes[i]]);
    }
    const key = (cx: number, cy: number) => cy * 1_048_576 + cx;
    for (let i = 0; i < size; i++) {
      const v = nodes[i];
      const k = key(Math.floor((x[v] - minX) / cell), Math.floor((y[v] - minY) / cell));
      const list = grid.get(k);
      if (list) list.push(v);
      else grid.set(k, [v]);
    }
    let pushed = 0;
    for (let i = 0; i < size; i++) {
      const v = nodes[i];
      const cx = Math.floor((x[v] - minX) / cell);
      const cy = Math.floor((y[v] - minY) / cell);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          for (const w of grid.get(key(cx + dx, cy + dy)) ?? []) {
            if (w <= v) continue;
            let ex = x[w] - x[v];
            let ey = y[w] - y[v];
            const d2 = ex * ex + ey * ey;
            if (d2 >= min2) continue;
            let d = Math.sqrt(d2);
            if (d < 1e-9) {
              const a = ((v * 31 + w * 17) % 360) * (Math.PI / 180);
              ex = Math.cos(a);
              ey = Math.sin(a);
              d = 1;
            }
            const half = (minDistance - Math.sqrt(d2)) / 2 + 1e-6;
            x[v] -= (ex / d) * half;
            y[v] -= (ey / d) * half;
            x[w] += (ex / d) * half;
            y[w] += (ey / d) * half;
            pushed++;
          }
        }
      }
    }
    if (pushed === 0) return sweep;
  }
  return maxSweeps;
}
