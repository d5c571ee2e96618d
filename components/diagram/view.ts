/** The view of the diagram's OrthographicView: centre in layout units, zoom as log2 of pixels per unit. */
export interface DiagramViewState {
  target: [number, number, number];
  zoom: number;
  minZoom: number;
  maxZoom: number;
}

/** Most pixels per layout unit the operator can zoom in to (a bus spacing of 256 px). */
export const MAX_PX_PER_UNIT = 256;

/**
 * The view that shows the whole grid (bounds [minX, minY, maxX, maxY] in layout units)
 * in a frame of width × height CSS pixels with `padding` around; the operator may zoom
 * out four steps from there and in to MAX_PX_PER_UNIT.
 */
export function fitView(bounds: [number, number, number, number], width: number, height: number, padding = 36): DiagramViewState {
  const [x0, y0, x1, y1] = bounds;
  const w = Math.max(x1 - x0, 1);
  const h = Math.max(y1 - y0, 1);
  const scale = Math.min(Math.max(width - 2 * padding, 50) / w, Math.max(height - 2 * padding, 50) / h, MAX_PX_PER_UNIT / 4);
  const zoom = Math.log2(scale);
  return { target: [(x0 + x1) / 2, (y0 + y1) / 2, 0], zoom, minZoom: zoom - 4, maxZoom: Math.max(zoom, Math.log2(MAX_PX_PER_UNIT)) };
}
