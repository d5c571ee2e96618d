import { PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import type { Layer } from "@deck.gl/core";
import { CONGESTED_HALO, CONGESTION_PCT, MV_CASING, NEUTRAL_LINE, OUT_OF_SERVICE, SELECTION, lineWidthPx, loadingColor, voltageColor, voltageViolated, type Rgba } from "./colors";
import type { GridMapData, MapBus, MapLine, MapSubstation } from "@/lib/map/map-data";
import { elementId, usableResults, type GridMapState } from "./state";

export type { GridMapState };

export const LAYER_IDS = {
  mvCasing: "grid-mv-casing",
  congestedHalo: "grid-congested-halo",
  selectionHalo: "grid-selection-halo",
  lines: "grid-lines",
  buses: "grid-buses",
  substations: "grid-substations",
  pcc: "grid-pcc",
  selectionRing: "grid-selection-ring",
  labels: "grid-labels",
} as const;

export interface LineStyle {
  color: Rgba;
  width: number;
  congested: boolean;
}

export function lineStyle(line: MapLine, loading: ArrayLike<number> | null): LineStyle {
  if (!line.inService) return { color: OUT_OF_SERVICE, width: 2, congested: false };
  const pct = loading ? loading[line.index] : NaN;
  const color = loadingColor(pct) ?? NEUTRAL_LINE[line.kind];
  const congested = Number.isFinite(pct) && Math.abs(pct) > CONGESTION_PCT;
  return { color, width: lineWidthPx(line.kind, Number.isFinite(pct) ? pct : null), congested };
}

export interface SubstationStyle {
  fill: Rgba;
  stroke: Rgba;
  strokeWidth: number;
  congested: boolean;
}

export function substationStyle(s: MapSubstation, loading: ArrayLike<number> | null): SubstationStyle {
  const pct = loading && s.transformerIndex >= 0 ? loading[s.transformerIndex] : NaN;
  const c = loadingColor(pct);
  if (!c) return { fill: [255, 255, 255, 255], stroke: [40, 50, 80, 255], strokeWidth: 3, congested: false };
  const congested = Math.abs(pct) > CONGESTION_PCT;
  return { fill: congested ? [255, 205, 205, 255] : [255, 255, 255, 255], stroke: c, strokeWidth: congested ? 6 : 4, congested };
}

const BUS_RADIUS: Record<MapBus["role"], number> = { pcc: 0, mv: 4, busbar: 0, junction: 3, building: 2.5 };

export function busStyle(bus: MapBus, vm: ArrayLike<number> | null): { fill: Rgba; radius: number } {
  const v = vm ? vm[bus.index] : NaN;
  const fill = voltageColor(v) ?? [250, 250, 250, 255];
  return { fill, radius: BUS_RADIUS[bus.role] * (voltageViolated(v) ? 1.8 : 1) };
}

const KIND_ORDER = { service: 0, lv: 1, mv: 2 } as const;

/**
 * Sizes on a schematic diagram (positions in layout units, about one bus spacing):
 * widths and radii scale with the zoom, so buses never overlap however far out one
 * zooms; line widths are the map's pixel widths at 40 pixels per unit, within pixel bounds.
 */
export const SCHEMATIC = {
  pxPerUnit: 40,
  busRadius: 0.22,
  pccRadius: 0.42,
  widthMinPixels: 1,
  widthMaxPixels: 12,
  radiusMinPixels: 1.5,
  radiusMaxPixels: 8,
} as const;

interface Sizing {
  widthUnits: "pixels" | "common";
  /** Multiply a width in map pixels by this. */
  width: number;
  widthMaxPixels: number;
  busRadius: (b: MapBus, vm: ArrayLike<number> | null) => number;
  radiusUnits: "pixels" | "common";
  radiusMinPixels: number;
  radiusMaxPixels: number;
  pccRadius: number;
}

function sizing(data: GridMapData): Sizing {
  if (data.coordinates === "schematic") {
    return {
      widthUnits: "common",
      width: 1 / SCHEMATIC.pxPerUnit,
      widthMaxPixels: SCHEMATIC.widthMaxPixels,
      // Not enlarged when the voltage is violated: the saturated colour says it, and buses must not overlap.
      busRadius: () => SCHEMATIC.busRadius,
      radiusUnits: "common",
      radiusMinPixels: SCHEMATIC.radiusMinPixels,
      radiusMaxPixels: SCHEMATIC.radiusMaxPixels,
      pccRadius: SCHEMATIC.pccRadius,
    };
  }
  return {
    widthUnits: "pixels",
    width: 1,
    widthMaxPixels: Number.MAX_SAFE_INTEGER,
    busRadius: (b, vm) => busStyle(b, vm).radius,
    radiusUnits: "pixels",
    radiusMinPixels: 0,
    radiusMaxPixels: Number.MAX_SAFE_INTEGER,
    pccRadius: 11,
  };
}

/**
 * deck.gl layers of the grid map as a pure function of the data and the state to
 * show (a power flow's loadings and voltages, the selection). The DSO view and the
 * TSO view's before/after comparison call it with different results; layer ids are
 * stable so deck.gl only updates what changed.
 */
export function buildGridLayers(data: GridMapData, state: GridMapState = {}): Layer[] {
  const g = prepareGrid(data, state);
  return [...lineLayers(data, g), ...pointLayers(data, g)];
}

/** What the layers of one picture share: results that can be shown, sizes, line styles and order, the selection. */
function prepareGrid(data: GridMapData, state: GridMapState) {
  const { loading, vm } = usableResults(data, state);
  const z = sizing(data);
  const schematic = data.coordinates === "schematic";
  const styles = new Map<MapLine, LineStyle>();
  for (const l of data.lines) styles.set(l, lineStyle(l, loading));
  const st = (l: MapLine) => styles.get(l)!;
  // Draw order: service cables, LV, MV; congested lines last, on top.
  const ordered = [...data.lines].sort((a, b) => Number(st(a).congested) - Number(st(b).congested) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.index - b.index);
  const selected = state.selectedId ?? null;
  const version = `${loading ? "L" : "-"}${vm ? "V" : "-"}:${selected ?? ""}`;
  return { loading, vm, z, schematic, st, ordered, selected, version };
}

type PreparedGrid = ReturnType<typeof prepareGrid>;

/** The lines, under them the casing of MV cables and the halos of congested and selected lines. */
function lineLayers(data: GridMapData, { z, schematic, st, ordered, selected, version }: PreparedGrid): Layer[] {
  const lineUnits = { widthUnits: z.widthUnits, widthMinPixels: 1, widthMaxPixels: z.widthMaxPixels } as const;
  const congested = ordered.filter((l) => st(l).congested);
  const selectedLines = selected?.startsWith("branch:") ? data.lines.filter((l) => elementId.branch(l.id) === selected) : [];
  /** A wider line of one colour under the lines it is given. */
  const under = (id: string, lines: MapLine[], color: typeof SELECTION, extraWidth: number) =>
    new PathLayer<MapLine>({
      id,
      data: lines,
      getPath: (l) => l.path,
      getColor: color,
      getWidth: (l) => (st(l).width + extraWidth) * z.width,
      ...lineUnits,
      capRounded: true,
      jointRounded: true,
      updateTriggers: { getWidth: version },
    });
  // On the diagram every line of 1 kV and more would be cased; the level shows in the tooltip instead.
  const mvLines = schematic ? [] : ordered.filter((l) => l.kind === "mv" && l.inService);
  return [
    // 20 kV cables get a dark casing, so they read apart from 0.4 kV feeders at any loading.
    under(LAYER_IDS.mvCasing, mvLines, MV_CASING, 4),
    under(LAYER_IDS.congestedHalo, congested, CONGESTED_HALO, 5),
    under(LAYER_IDS.selectionHalo, selectedLines, SELECTION, 9),
    new PathLayer<MapLine>({
      id: LAYER_IDS.lines,
      data: ordered,
      getPath: (l) => l.path,
      getColor: (l) => st(l).color,
      getWidth: (l) => st(l).width * z.width,
      ...lineUnits,
      capRounded: true,
      jointRounded: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 180, 255, 200],
      updateTriggers: { getColor: version, getWidth: version },
    }),
  ];
}

/** Buses, substations, the PCC, the ring around a selected point and the labels. */
function pointLayers(data: GridMapData, { loading, vm, z, schematic, selected, version }: PreparedGrid): Layer[] {
  const drawnBuses = schematic ? data.buses : data.buses.filter((b) => BUS_RADIUS[b.role] > 0);
  const selectedPoints: [number, number][] = [];
  if (selected?.startsWith("bus:")) for (const b of data.buses) if (elementId.bus(b.id) === selected) selectedPoints.push(b.position);
  if (selected?.startsWith("substation:")) for (const s of data.substations) if (elementId.substation(s.id) === selected) selectedPoints.push(s.position);
  const subStyles = new Map(data.substations.map((s) => [s, substationStyle(s, loading)]));
  const labels: { text: string; position: [number, number] }[] = [
    ...data.substations.map((s) => ({ text: s.id, position: s.position })),
    ...(data.pcc ? [{ text: data.pcc.label ?? "PCC", position: data.pcc.position }] : []),
  ];
  return [
    new ScatterplotLayer<MapBus>({
      id: LAYER_IDS.buses,
      data: drawnBuses,
      getPosition: (b) => b.position,
      getFillColor: (b) => busStyle(b, vm).fill,
      getRadius: (b) => z.busRadius(b, vm),
      radiusUnits: z.radiusUnits,
      radiusMinPixels: z.radiusMinPixels,
      radiusMaxPixels: z.radiusMaxPixels,
      stroked: true,
      getLineColor: [50, 55, 70, 220],
      lineWidthUnits: "pixels",
      getLineWidth: 1,
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 180, 255, 220],
      updateTriggers: { getFillColor: version, getRadius: version },
    }),
    new ScatterplotLayer<MapSubstation>({
      id: LAYER_IDS.substations,
      data: data.substations,
      getPosition: (s) => s.position,
      getFillColor: (s) => subStyles.get(s)!.fill,
      getLineColor: (s) => subStyles.get(s)!.stroke,
      getLineWidth: (s) => subStyles.get(s)!.strokeWidth,
      getRadius: 9,
      radiusUnits: "pixels",
      lineWidthUnits: "pixels",
      stroked: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 180, 255, 220],
      updateTriggers: { getFillColor: version, getLineColor: version, getLineWidth: version },
    }),
    new ScatterplotLayer<{ position: [number, number] }>({
      id: LAYER_IDS.pcc,
      data: data.pcc ? [data.pcc] : [],
      getPosition: (p) => p.position,
      getFillColor: [95, 40, 150, 255],
      getLineColor: [255, 255, 255, 255],
      getRadius: z.pccRadius,
      radiusUnits: z.radiusUnits,
      radiusMinPixels: schematic ? 4 : 0,
      radiusMaxPixels: schematic ? 11 : Number.MAX_SAFE_INTEGER,
      lineWidthUnits: "pixels",
      getLineWidth: schematic ? 2 : 3,
      stroked: true,
      pickable: true,
    }),
    new ScatterplotLayer<[number, number]>({
      id: LAYER_IDS.selectionRing,
      data: selectedPoints,
      getPosition: (p) => p,
      getRadius: 15,
      radiusUnits: "pixels",
      filled: false,
      stroked: true,
      getLineColor: SELECTION,
      getLineWidth: 4,
      lineWidthUnits: "pixels",
    }),
    new TextLayer<{ text: string; position: [number, number] }>({
      id: LAYER_IDS.labels,
      data: labels,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getSize: 13,
      getColor: [25, 30, 45, 255],
      getPixelOffset: [0, -20],
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      fontWeight: 700,
      background: true,
      getBackgroundColor: [255, 255, 255, 220],
      backgroundPadding: [3, 1],
    }),
  ];
}

/** The element a deck.gl pick refers to (layer id + picked object), as a selection id; null for nothing pickable. */
export function pickedElementId(data: GridMapData, layerId: string | undefined, object: unknown): string | null {
  if (!layerId || object === null || object === undefined) return null;
  if (layerId === LAYER_IDS.lines) return elementId.branch((object as MapLine).id);
  if (layerId === LAYER_IDS.buses) return elementId.bus((object as MapBus).id);
  if (layerId === LAYER_IDS.substations) return elementId.substation((object as MapSubstation).id);
  if (layerId === LAYER_IDS.pcc && data.pcc) return elementId.bus(data.buses.find((b) => b.index === data.pcc!.busIndex)?.id ?? -1);
  return null;
}
