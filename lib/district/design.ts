import { DESIGN_POWER_FACTOR, groupDesignMw, type BuildingProfile } from "./profiles";
import { LINE_TYPES, lineRatingMva, type LineType, type LineTypeName, type TransformerTypeName } from "./standard-types";

/**
 * Planning rules of a generated district grid: the system base, the standard
 * transformer and cables, the utilisation limits and the design load of a group of
 * buildings, shared by the substation, ring and feeder stages.
 */

/** System base of generated networks, MVA (distribution scale: LV impedances of order 0.1 p.u.). */
export const DISTRICT_BASE_MVA = 1;
/** Planning limits at the design peak: transformers and cables at most 100 % of their rating. */
export const TRANSFORMER_PLANNING_UTILISATION = 1.0;
export const CABLE_PLANNING_UTILISATION = 1.0;

export const FEEDER_TYPE: LineTypeName = "NAYY 4x150 SE";
export const HEAVY_FEEDER_TYPE: LineTypeName = "NAYY 4x240 SE";
export const MV_TYPE: LineTypeName = "NA2XS2Y 1x185 RM/25 12/20 kV";
export const STATION_TRAFO: TransformerTypeName = "0.63 MVA 20/0.4 kV";

/** Peak demand, households and PV of a group of buildings (what its design load depends on). */
export interface Acc {
  peakKw: number;
  units: number;
  pvKwp: number;
}

export const designMva = (a: Acc) => groupDesignMw(a.peakKw, a.units, a.pvKwp) / DESIGN_POWER_FACTOR;

export function addProfile(a: Acc, p: BuildingProfile): void {
  a.peakKw += p.peakKw;
  a.units += p.households;
  a.pvKwp += p.pvKwp;
}

/** Approximate voltage drop ΔU/U ≈ (R cos φ + X sin φ) · S / U² of apparent power S (MVA) over a cable. */
export function dropPu(t: LineType, lengthKm: number, sMva: number): number {
  const sin = Math.sqrt(1 - DESIGN_POWER_FACTOR * DESIGN_POWER_FACTOR);
  return ((t.rOhmPerKm * DESIGN_POWER_FACTOR + t.xOhmPerKm * sin) * lengthKm * sMva) / (t.vnKv * t.vnKv);
}

/** NAYY 4x150 SE when the design load fits it, else 4x240 SE. */
export function feederType(designMvaValue: number): LineType {
  return LINE_TYPES[designMvaValue <= lineRatingMva(LINE_TYPES[FEEDER_TYPE]) * CABLE_PLANNING_UTILISATION ? FEEDER_TYPE : HEAVY_FEEDER_TYPE];
}

/** A value rounded to 1e-6 (stable figures in the district's summaries). */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
