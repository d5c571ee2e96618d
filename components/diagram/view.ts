/**
 * The diagram's view: the centre in layout units and the zoom (log2 of pixels per unit),
 * as deck.gl's OrthographicView takes it (y grows downwards). Pure functions for fitting,
 * panning, zooming about a point, projecting, and the CSS transform that shows the last
 * drawn image where the current view would put it.
 */
export interface DiagramViewState {
  target: [number, number, number];
  zoom: number;
  minZoom: number;
  maxZoom: number;
}

/** Most pixels per layout unit the operator can zoom in to (a bus spacing of 256 px). */
export const MAX_PX_PER_UNIT = 256;

type Size = { width: number; height: number };
type Point = [number, number];

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

/** Screen position (CSS pixels from the frame's top left) of a point in layout units. */
export function toScreen(v: DiagramViewState, size: Size, p: Point): Point {
  const s = 2 ** v.zoom;
  return [(p[0] - v.target[0]) * s + size.width / 2, (p[1] - v.target[1]) * s + size.height / 2];
}

/** The point in layout units under a screen position. */
export function toWorld(v: DiagramViewState, size: Size, q: Point): Point {
  const s = 2 ** v.zoom;
  return [(q[0] - size.width / 2) / s + v.target[0], (q[1] - size.height / 2) / s + v.target[1]];
}

/** The view moved so that the content follows the pointer by (dx, dy) pixels. */
export function panView(v: DiagramViewState, dx: number, dy: number): DiagramViewState {
  const s = 2 ** v.zoom;
  return { ...v, target: [v.target[0] - dx / s, v.target[1] - dy / s, 0] };
}

/** The view zoomed by 2^steps about a screen point (which stays where it is), within the view's zoom limits. */
export function zoomViewAt(v: DiagramViewState, size: Size, steps: number, at: Point): DiagramViewState {
  const zoom = Math.max(v.minZoom, Math.min(v.maxZoom, v.zoom + steps));
  const fixed = toWorld(v, size, at);
  const s = 2 ** zoom;
  return { ...v, zoom, target: [fixed[0] - (at[0] - size.width / 2) / s, fixed[1] - (at[1] - size.height / 2) / s, 0] };
}

/** CSS transform (origin at the top left) that moves an image drawn for `drawn` to where `current` shows it. */
export function cssTransformBetween(drawn: DiagramViewState, current: DiagramViewState, size: Size): string {
  const k = 2 ** (current.zoom - drawn.zoom);
  const s = 2 ** current.zoom;
  const tx = size.width / 2 - k * (size.width / 2) + (drawn.target[0] - current.target[0]) * s;
  const ty = size.height / 2 - k * (size.height / 2) + (drawn.target[1] - current.target[1]) * s;
  return `translate(${tx.toFixed(2)}px, ${ty.toFixed(2)}px) scale(${k.toFixed(5)})`;
}
