import type { Layer } from "@deck.gl/core";
import { PathLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from "@deck.gl/layers";
import type { Rgba } from "@/components/map/colors";
import { buildGridLayers, SCHEMATIC } from "@/components/map/layers";
import type { GridMapData, MapBus, MapLine } from "@/lib/map/map-data";
import type { GridMapState } from "@/components/map/state";
import { DEFAULT_HIGHLIGHT, DEFAULT_MARKER, scaleColor, scaleDomain, type BusMarker, type DiagramOverlays } from "./overlays";

export const DIAGRAM_LAYER_IDS = {
  highlightHalo: "diagram-highlight-halo",
  transformers: "diagram-transformers",
  arrows: "diagram-flow-arrows",
  busValues: "diagram-bus-values",
  highlightRing: "diagram-highlight-ring",
  markers: "diagram-markers",
  markerLabels: "diagram-marker-labels",
} as const;

const ARROW: Rgba = [25, 30, 45, 225];
const TRANSFORMER_FILL: Rgba = [255, 255, 255, 255];
const TRANSFORMER_STROKE: Rgba = [40, 50, 80, 255];
/** Active flows below this (MW) get no arrow: there is no direction to show. */
const ARROW_MIN_MW = 1e-6;

type Point = [number, number];

/** Where along a line its arrow sits (transformers have their symbol in the middle). */
const arrowAt = (l: MapLine) => (l.transformer ? 0.75 : 0.55);

function along(l: MapLine, t: number): { at: Point; dir: Point; length: number } {
  const a = l.path[0];
  const b = l.path[l.path.length - 1];
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = Math.hypot(dx, dy);
  return { at: [a[0] + dx * t, a[1] + dy * t], dir: length > 0 ? [dx / length, dy / length] : [1, 0], length };
}

/**
 * One triangle per energised line, pointing the way active power flows (sign of P at the
 * from end), in layout units: the arrows grow with the zoom like the buses.
 */
export function flowArrows(data: GridMapData, flowMw: ArrayLike<number> | null | undefined): { line: MapLine; polygon: Point[] }[] {
  if (!flowMw || flowMw.length !== data.branchCount) return [];
  const out: { line: MapLine; polygon: Point[] }[] = [];
  for (const l of data.lines) {
    const p = flowMw[l.index];
    if (!l.inService || !Number.isFinite(p) || Math.abs(p) < ARROW_MIN_MW) continue;
    const { at, dir, length } = along(l, arrowAt(l));
    if (length < 0.3) continue;
    const s = p >= 0 ? 1 : -1;
    const a = Math.min(0.3, 0.22 * length);
    const d: Point = [dir[0] * s, dir[1] * s];
    const n: Point = [-d[1], d[0]];
    const tip: Point = [at[0] + d[0] * a, at[1] + d[1] * a];
    const back: Point = [at[0] - d[0] * a * 0.6, at[1] - d[1] * a * 0.6];
    out.push({ line: l, polygon: [tip, [back[0] + n[0] * a * 0.6, back[1] + n[1] * a * 0.6], [back[0] - n[0] * a * 0.6, back[1] - n[1] * a * 0.6]] });
  }
  return out;
}

export interface DiagramLayerOptions {
  /** Active power at each branch's from end, MW (network branch order); null: no arrows. */
  flowMw?: ArrayLike<number> | null;
  overlays?: DiagramOverlays;
}

function overlayLayers(data: GridMapData, overlays: DiagramOverlays | undefined, version: string): { below: Layer[]; above: Layer[] } {
  const busById = new Map(data.buses.map((b) => [b.id, b]));
  const lineById = new Map(data.lines.map((l) => [l.id, l]));
  const halos: { line: MapLine; color: Rgba }[] = [];
  const rings: { bus: MapBus; color: Rgba }[] = [];
  for (const h of overlays?.highlights ?? []) {
    const color = h.color ?? DEFAULT_HIGHLIGHT;
    for (const id of h.branches ?? []) {
      const l = lineById.get(id);
      if (l) halos.push({ line: l, color });
    }
    for (const id of h.buses ?? []) {
      const b = busById.get(id);
      if (b) rings.push({ bus: b, color });
    }
  }
  const values = overlays?.busValues ?? null;
  const domain = values ? scaleDomain(values) : null;
  const valued = values ? data.buses.flatMap((b) => (scaleColor(values, values.values.get(b.id), domain) ? [b] : [])) : [];
  const markers = (overlays?.markers ?? []).flatMap((m) => (busById.has(m.busId) ? [{ m, bus: busById.get(m.busId)! }] : []));
  const below: Layer[] = [
    new PathLayer<{ line: MapLine; color: Rgba }>({
      id: DIAGRAM_LAYER_IDS.highlightHalo,
      data: halos,
      getPath: (h) => h.line.path,
      getColor: (h) => h.color,
      getWidth: 16 / SCHEMATIC.pxPerUnit,
      widthUnits: "common",
      widthMinPixels: 7,
      widthMaxPixels: 22,
      capRounded: true,
      updateTriggers: { getColor: version },
    }),
  ];
  const above: Layer[] = [
    new ScatterplotLayer<MapBus>({
      id: DIAGRAM_LAYER_IDS.busValues,
      data: valued,
      getPosition: (b) => b.position,
      getFillColor: (b) => scaleColor(values!, values!.values.get(b.id), domain)!,
      getRadius: SCHEMATIC.busRadius * 1.15,
      radiusUnits: "common",
      radiusMinPixels: SCHEMATIC.radiusMinPixels + 0.5,
      radiusMaxPixels: SCHEMATIC.radiusMaxPixels,
      stroked: true,
      getLineColor: [40, 40, 40, 230],
      getLineWidth: 1,
      lineWidthUnits: "pixels",
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 180, 255, 220],
      updateTriggers: { getFillColor: version },
    }),
    new ScatterplotLayer<{ bus: MapBus; color: Rgba }>({
      id: DIAGRAM_LAYER_IDS.highlightRing,
      data: rings,
      getPosition: (r) => r.bus.position,
      getLineColor: (r) => r.color,
      getRadius: 0.5,
      radiusUnits: "common",
      radiusMinPixels: 6,
      radiusMaxPixels: 14,
      filled: false,
      stroked: true,
      getLineWidth: 3,
      lineWidthUnits: "pixels",
      updateTriggers: { getLineColor: version },
    }),
    new ScatterplotLayer<{ m: BusMarker; bus: MapBus }>({
      id: DIAGRAM_LAYER_IDS.markers,
      data: markers,
      getPosition: (d) => d.bus.position,
      getLineColor: (d) => d.m.color ?? DEFAULT_MARKER,
      getFillColor: [255, 255, 255, 90],
      getRadius: 0.62,
      radiusUnits: "common",
      radiusMinPixels: 9,
      radiusMaxPixels: 16,
      stroked: true,
      getLineWidth: 3,
      lineWidthUnits: "pixels",
      pickable: true,
      updateTriggers: { getLineColor: version },
    }),
    new TextLayer<{ m: BusMarker; bus: MapBus }>({
      id: DIAGRAM_LAYER_IDS.markerLabels,
      data: markers,
      getPosition: (d) => d.bus.position,
      getText: (d) => d.m.label,
      getSize: 12,
      getColor: (d) => d.m.color ?? DEFAULT_MARKER,
      getPixelOffset: [0, -22],
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      fontWeight: 700,
      background: true,
      getBackgroundColor: [255, 255, 255, 230],
      backgroundPadding: [4, 2],
      characterSet: "auto",
      updateTriggers: { getText: version, getColor: version },
    }),
  ];
  return { below, above };
}

/**
 * deck.gl layers of the network diagram, a pure function of the data, the state and
 * the options: the district map's grid layers (buildGridLayers, sized for layout units)
 * with transformer symbols, flow arrows and the overlays; layer ids are stable.
 */
export function buildDiagramLayers(data: GridMapData, state: GridMapState = {}, opts: DiagramLayerOptions = {}): Layer[] {
  const version = `${state.selectedId ?? ""}:${opts.flowMw ? "F" : "-"}`;
  const { below, above } = overlayLayers(data, opts.overlays, `${version}:${JSON.stringify(opts.overlays?.highlights?.map((h) => h.label) ?? [])}`);
  const transformers = data.lines.filter((l) => l.transformer);
  const arrows = flowArrows(data, opts.flowMw);
  return [
    ...below,
    ...buildGridLayers(data, state),
    new ScatterplotLayer<MapLine>({
      id: DIAGRAM_LAYER_IDS.transformers,
      data: transformers,
      getPosition: (l) => along(l, 0.5).at,
      getFillColor: TRANSFORMER_FILL,
      getLineColor: TRANSFORMER_STROKE,
      getRadius: 0.16,
      radiusUnits: "common",
      radiusMinPixels: 2.5,
      radiusMaxPixels: 6,
      stroked: true,
      getLineWidth: 1.5,
      lineWidthUnits: "pixels",
      pickable: true,
    }),
    new SolidPolygonLayer<{ line: MapLine; polygon: Point[] }>({
      id: DIAGRAM_LAYER_IDS.arrows,
      data: arrows,
      getPolygon: (a) => a.polygon,
      getFillColor: ARROW,
    }),
    ...above,
  ];
}
