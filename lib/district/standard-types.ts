/**
 * Standard cable and transformer data and their conversion to per-unit branch
 * parameters on the network's system base.
 *
 * Sources:
 * - NAYY 4x50 SE, NAYY 4x150 SE, NA2XS2Y 1x185 RM/25 12/20 kV and the 0.63 MVA
 *   20/0.4 kV transformer: pandapower's basic standard type library
 *   (pandapower/std_types.py, documented in doc/std_types/linetypes.csv and
 *   trafotypes.csv; parameterised after DIgSILENT PowerFactory's library), 50 Hz.
 * - NAYY 4x240 SE (not in pandapower's library): manufacturer datasheets for NAYY
 *   0.6/1 kV cables after DIN VDE 0276-603 — conductor resistance 0.125 Ω/km at 20 °C
 *   (IEC 60228 class 2 aluminium, 240 mm²), reactance 0.08 Ω/km (as the 150 mm² type),
 *   current rating 357 A laid in ground. Its capacitance is taken like the 150 mm² type;
 *   at 0.4 kV the charging is negligible either way.
 * - Short-circuit voltage uk = 4 % for the 0.63 MVA unit: DIN 42500 (oil-immersed
 *   distribution transformers up to 630 kVA, 24 kV); pandapower's library carries the 6 %
 *   variant. Copper losses (ur) as in pandapower's type.
 * Ratings are thermal: lines √3·U·Imax, transformers their rated power Sn.
 */
export interface LineType {
  name: string;
  rOhmPerKm: number;
  xOhmPerKm: number;
  cNfPerKm: number;
  maxIKa: number;
  vnKv: number;
}

export interface TransformerType {
  name: string;
  snMva: number;
  vnHvKv: number;
  vnLvKv: number;
  /** Short-circuit voltage uk, % of rated voltage. */
  vkPercent: number;
  /** Its resistive part ur = Pcu / Sn, %. */
  vkrPercent: number;
  /** No-load (iron) losses, kW, and no-load current, % of rated current. */
  pfeKw: number;
  i0Percent: number;
}

export const LINE_TYPES = {
  "NAYY 4x50 SE": { name: "NAYY 4x50 SE", rOhmPerKm: 0.642, xOhmPerKm: 0.083, cNfPerKm: 210, maxIKa: 0.142, vnKv: 0.4 },
  "NAYY 4x150 SE": { name: "NAYY 4x150 SE", rOhmPerKm: 0.208, xOhmPerKm: 0.08, cNfPerKm: 261, maxIKa: 0.27, vnKv: 0.4 },
  "NAYY 4x240 SE": { name: "NAYY 4x240 SE", rOhmPerKm: 0.125, xOhmPerKm: 0.08, cNfPerKm: 261, maxIKa: 0.357, vnKv: 0.4 },
  "NA2XS2Y 1x185 RM/25 12/20 kV": { name: "NA2XS2Y 1x185 RM/25 12/20 kV", rOhmPerKm: 0.161, xOhmPerKm: 0.117, cNfPerKm: 273, maxIKa: 0.362, vnKv: 20 },
} as const satisfies Record<string, LineType>;

export type LineTypeName = keyof typeof LINE_TYPES;

export const TRANSFORMER_TYPES = {
  "0.63 MVA 20/0.4 kV": { name: "0.63 MVA 20/0.4 kV", snMva: 0.63, vnHvKv: 20, vnLvKv: 0.4, vkPercent: 4, vkrPercent: 1.206, pfeKw: 1.65, i0Percent: 0.2619 },
} as const satisfies Record<string, TransformerType>;

export type TransformerTypeName = keyof typeof TRANSFORMER_TYPES;

export const MV_KV = 20;
export const LV_KV = 0.4;
const FREQUENCY_HZ = 50;

/** Thermal rating of a line type, MVA: √3 · U · Imax (times parallel systems). */
export function lineRatingMva(t: LineType, parallel = 1): number {
  return Math.sqrt(3) * t.vnKv * t.maxIKa * parallel;
}

export interface BranchPu {
  rPu: number;
  xPu: number;
  bPu: number;
  rateAMva: number;
}

/**
 * π-model of `parallel` identical cables of length `lengthKm` in p.u. of baseMVA:
 * z = (r' + j x') · l / Zbase / n with Zbase = U² / Sbase, total charging
 * b = ω c' l · Zbase · n.
 */
export function linePu(t: LineType, lengthKm: number, baseMva: number, parallel = 1): BranchPu {
  const zBase = (t.vnKv * t.vnKv) / baseMva;
  return {
    rPu: (t.rOhmPerKm * lengthKm) / zBase / parallel,
    xPu: (t.xOhmPerKm * lengthKm) / zBase / parallel,
    bPu: 2 * Math.PI * FREQUENCY_HZ * t.cNfPerKm * 1e-9 * lengthKm * zBase * parallel,
    rateAMva: lineRatingMva(t, parallel),
  };
}

/**
 * Series impedance of `parallel` identical two-winding transformers on the system
 * base (the usual short-circuit test model, as in pandapower's trafo model):
 * |z| = uk/100 · Sbase/Sn, r = ur/100 · Sbase/Sn with ur = Pcu/Sn, x = √(z² − r²).
 * The magnetising branch (Pfe, i0) is left out: it changes losses by about 0.3 %
 * of the rating and no loading or voltage by a visible amount.
 */
export function transformerPu(t: TransformerType, baseMva: number, parallel = 1): BranchPu {
  const scale = baseMva / t.snMva / parallel;
  const z = (t.vkPercent / 100) * scale;
  const r = (t.vkrPercent / 100) * scale;
  return { rPu: r, xPu: Math.sqrt(z * z - r * r), bPu: 0, rateAMva: t.snMva * parallel };
}
