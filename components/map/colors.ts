/**
 * Colour and width scales of the grid map, shared by the layers and the legend.
 * Loading: green → amber → red (deliverable 5.2, Fig. 5: congested lines in red);
 * voltage: blue below 1 p.u., purple above, saturated outside the 0.95–1.05 band.
 */
import { CONGESTION_PCT } from "@/lib/map/map-data";

export { CONGESTION_PCT };
export type Rgba = [number, number, number, number];

export const VOLTAGE_BAND: [number, number] = [0.95, 1.05];

const GREEN: Rgba = [26, 150, 65, 255];
const AMBER: Rgba = [245, 170, 0, 255];
const ORANGE: Rgba = [235, 95, 20, 255];
export const CONGESTED: Rgba = [205, 0, 0, 255];
/** Dark underlay drawn beneath congested lines so they stand out on any background. */
export const CONGESTED_HALO: Rgba = [90, 0, 0, 200];
export const MV_CASING: Rgba = [20, 30, 70, 255];
export const SELECTION: Rgba = [0, 180, 255, 230];
export const OUT_OF_SERVICE: Rgba = [120, 120, 120, 170];
/** Lines before any power flow result, by voltage level. */
export const NEUTRAL_LINE: Record<"mv" | "lv" | "service", Rgba> = {
  mv: [60, 70, 110, 255],
  lv: [85, 95, 125, 255],
  service: [135, 140, 160, 230],
};

function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const u = Math.max(0, Math.min(1, t));
  return [0, 1, 2, 3].map((k) => Math.round(a[k] + (b[k] - a[k]) * u)) as Rgba;
}

/** Colour of a branch loading in % (sign ignored; NaN → null, i.e. no rating). */
export function loadingColor(pct: number): Rgba | null {
  if (!Number.isFinite(pct)) return null;
  const l = Math.abs(pct);
  if (l > CONGESTION_PCT) return CONGESTED;
  if (l <= 50) return GREEN;
  if (l <= 80) return mix(GREEN, AMBER, (l - 50) / 30);
  return mix(AMBER, ORANGE, (l - 80) / 20);
}

/** Line width in pixels: by voltage level, growing with loading, doubled when congested. */
export function lineWidthPx(kind: "mv" | "lv" | "service", pct: number | null): number {
  const base = kind === "mv" ? 4 : kind === "lv" ? 3 : 1.5;
  if (pct === null || !Number.isFinite(pct)) return base;
  const l = Math.abs(pct);
  if (l > CONGESTION_PCT) return Math.max(7, base * 2.4);
  return base * (1 + 0.5 * (l / 100));
}

const LOW: Rgba = [33, 102, 172, 255];
const HIGH: Rgba = [118, 42, 131, 255];
const NOMINAL: Rgba = [245, 245, 245, 255];
const LOW_VIOLATION: Rgba = [8, 48, 107, 255];
const HIGH_VIOLATION: Rgba = [64, 0, 75, 255];

/** Bus colour by voltage deviation from 1 p.u.; null without a result (or a de-energised bus). */
export function voltageColor(vm: number): Rgba | null {
  if (!Number.isFinite(vm) || vm <= 0) return null;
  if (vm < VOLTAGE_BAND[0]) return LOW_VIOLATION;
  if (vm > VOLTAGE_BAND[1]) return HIGH_VIOLATION;
  const d = vm - 1;
  return d < 0 ? mix(NOMINAL, LOW, -d / 0.05) : mix(NOMINAL, HIGH, d / 0.05);
}

export function voltageViolated(vm: number): boolean {
  return Number.isFinite(vm) && vm > 0 && (vm < VOLTAGE_BAND[0] || vm > VOLTAGE_BAND[1]);
}

export function cssColor(c: Rgba): string {
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] / 255).toFixed(2)})`;
}

/** Legend entries, in display order. */
export const LOADING_LEGEND: { label: string; color: Rgba; width: number }[] = [
  { label: "≤ 50 %", color: loadingColor(40)!, width: lineWidthPx("lv", 40) },
  { label: "65 %", color: loadingColor(65)!, width: lineWidthPx("lv", 65) },
  { label: "80 %", color: loadingColor(80)!, width: lineWidthPx("lv", 80) },
  { label: "100 %", color: loadingColor(100)!, width: lineWidthPx("lv", 100) },
  { label: "> 100 % congested", color: CONGESTED, width: lineWidthPx("lv", 120) },
];

export const VOLTAGE_LEGEND: { label: string; color: Rgba }[] = [
  { label: "< 0.95", color: voltageColor(0.94)! },
  { label: "0.97", color: voltageColor(0.97)! },
  { label: "1.00 p.u.", color: voltageColor(1)! },
  { label: "1.03", color: voltageColor(1.03)! },
  { label: "> 1.05", color: voltageColor(1.06)! },
];
