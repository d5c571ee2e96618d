/** Bounding box of the first `count` points (x[i], y[i]); all infinite for no points. */
export function pointExtent(x: ArrayLike<number>, y: ArrayLike<number>, count = x.length): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, x[i]);
    maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]);
    maxY = Math.max(maxY, y[i]);
  }
  return { minX, minY, maxX, maxY };
}
