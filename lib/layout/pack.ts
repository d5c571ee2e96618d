/**
 * Packing the drawings of a grid's connected components (islands, isolated buses) into
 * rows, largest first, so the whole grid is about as wide as high times the frame's
 * aspect ratio: a shelf packing (each row as high as its tallest part).
 */
import type { Component } from "./graph";

export interface Box {
  minX: number;
  minY: number;
  width: number;
  height: number;
}

const GAP = 2;
const ASPECT = 1.8;

/** Move each component (its box given) to its place; coordinates start at (0, 0). */
export function packComponents(comps: Component[], boxes: Box[], x: Float64Array, y: Float64Array): void {
  const area = boxes.reduce((s, b) => s + (b.width + GAP) * (b.height + GAP), 0);
  const rowWidth = Math.max(boxes[0]?.width ?? 0, Math.sqrt(area * ASPECT));
  let cx = 0;
  let cy = 0;
  let rowHeight = 0;
  comps.forEach((c, k) => {
    const b = boxes[k];
    if (cx > 0 && cx + b.width > rowWidth) {
      cx = 0;
      cy += rowHeight + GAP;
      rowHeight = 0;
    }
    const dx = cx - b.minX;
    const dy = cy - b.minY;
    for (const v of c.nodes) {
      x[v] += dx;
      y[v] += dy;
    }
    cx += b.width + GAP;
    rowHeight = Math.max(rowHeight, b.height);
  });
}
