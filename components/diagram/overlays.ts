import type { Rgba } from "@/components/map/colors";

/**
 * Generic overlays of the network diagram, for whatever a view wants to show on a
 * grid beyond its power flow: a value per bus on a colour scale (e.g. LMPs of an AC
 * OPF), sets of highlighted branches and buses (e.g. binding limits), and markers with
 * a label at buses (e.g. the PCCs of the TSO's grid with their DSO and set-point).
 */

/** A value per bus drawn as the bus's fill on a colour scale, with a legend bar. */
export interface BusValueOverlay {
  /** What the values are, with the unit, e.g. "LMP ($/MWh)". */
  label: string;
  /** Value by bus id; buses without a finite value keep their voltage colour. */
  values: ReadonlyMap<number, number>;
  /** Ends of the colour scale; default the least and greatest value. */
  domain?: [number, number];
  /** Colours from the low to the high end, spread evenly (default: blue, light yellow, red). */
  colors?: Rgba[];
  /** How a value is written in the tooltip and the legend (default 3 significant digits). */
  format?: (v: number) => string;
}

/** Branches and buses drawn with a coloured halo, named in the legend and the tooltip. */
export interface HighlightOverlay {
  /** e.g. "binding limits". */
  label: string;
  /** Branch ids (the network's `Branch.id`). */
  branches?: readonly string[];
  /** Bus ids. */
  buses?: readonly number[];
  /** Halo colour (default magenta). */
  color?: Rgba;
  /** Per element, what to say about it in the tooltip (key "branch:<id>" or "bus:<id>"), e.g. "flow limit, μ = 4.2 $/MWh". */
  notes?: ReadonlyMap<string, string>;
}

/** A badge at a bus: a ring and a short label beside it; the detail lines go to the tooltip. */
export interface BusMarker {
  busId: number;
  /** Short text drawn on the diagram, e.g. "PCC: Bergwald". */
  label: string;
  /** Lines for the tooltip and the details, e.g. ["set-point 12.3 MW"]. */
  detail?: readonly string[];
  /** Ring and label colour (default dark purple). */
  color?: Rgba;
}

export interface DiagramOverlays {
  busValues?: BusValueOverlay | null;
  highlights?: readonly HighlightOverlay[];
  markers?: readonly BusMarker[];
}

export const DEFAULT_SCALE: Rgba[] = [
  [49, 54, 149, 255],
  [116, 173, 209, 255],
  [255, 255, 191, 255],
  [244, 109, 67, 255],
  [165, 0, 38, 255],
];
export const DEFAULT_HIGHLIGHT: Rgba = [214, 0, 170, 235];
export const DEFAULT_MARKER: Rgba = [95, 40, 150, 255];

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : Number(v.toPrecision(3)).toString();
}

/** The scale's domain: the one given, else [min, max] of the finite values (null when there are none). */
export function scaleDomain(o: BusValueOverlay): [number, number] | null {
  if (o.domain) return o.domain;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of o.values.values()) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return Number.isFinite(lo) ? [lo, hi] : null;
}

/** Colour of a value on the overlay's scale (clamped to its ends); null for a missing or non-finite value. */
export function scaleColor(o: BusValueOverlay, v: number | undefined, domain = scaleDomain(o)): Rgba | null {
  if (v === undefined || !Number.isFinite(v) || !domain) return null;
  const colors = o.colors && o.colors.length >= 2 ? o.colors : DEFAULT_SCALE;
  const [lo, hi] = domain;
  const t = hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 0.5;
  const f = t * (colors.length - 1);
  const k = Math.min(colors.length - 2, Math.floor(f));
  const u = f - k;
  return [0, 1, 2, 3].map((c) => Math.round(colors[k][c] + (colors[k + 1][c] - colors[k][c]) * u)) as Rgba;
}

/** Tooltip and details rows the overlays add to an element ("bus:<id>" or "branch:<id>"). */
export function overlayRows(overlays: DiagramOverlays | undefined, id: string): [string, string][] {
  if (!overlays) return [];
  const rows: [string, string][] = [];
  const busId = id.startsWith("bus:") ? Number(id.slice(4)) : null;
  const branchId = id.startsWith("branch:") ? id.slice(7) : null;
  if (busId !== null && overlays.busValues) {
    const v = overlays.busValues.values.get(busId);
    if (v !== undefined) rows.push([overlays.busValues.label, (overlays.busValues.format ?? formatValue)(v)]);
  }
  for (const h of overlays.highlights ?? []) {
    const hit = (busId !== null && h.buses?.includes(busId)) || (branchId !== null && h.branches?.includes(branchId));
    if (hit) rows.push([h.label, h.notes?.get(id) ?? "yes"]);
  }
  if (busId !== null) {
    for (const m of overlays.markers ?? []) if (m.busId === busId) rows.push([m.label, (m.detail ?? []).join(" · ") || "marked"]);
  }
  return rows;
}
