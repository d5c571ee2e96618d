/**
 * The platform's grid model. Engineering units at this boundary (MW, MVAr, kV,
 * p.u. voltages, degrees); per-unit conversion happens only in `per-unit.ts`.
 *
 * Injection convention: positive = into the grid (generation), negative = consumption.
 */

export type BusType = "PQ" | "PV" | "REF" | "NONE";

export interface Bus {
  /** Bus number, as MATPOWER's BUS_I: a positive integer, unique in the network. */
  id: number;
  type: BusType;
  /** Fixed demand at the bus (MATPOWER Pd/Qd), consumption positive. */
  pdMw: number;
  qdMvar: number;
  /** Shunt conductance/susceptance, MW/MVAr consumed/injected at V = 1 p.u. */
  gsMw: number;
  bsMvar: number;
  area: number;
  /** Initial (or last solved) voltage magnitude and angle. */
  vmPu: number;
  vaDeg: number;
  baseKv: number;
  zone: number;
  vmaxPu: number;
  vminPu: number;
  name?: string;
  lon?: number;
  lat?: number;
  /** Columns after VMIN in a MATPOWER file (results, extensions), kept for export. */
  extra?: number[];
}

export type BranchKind = "line" | "transformer";

export interface Branch {
  /** Stable string id ("1", "2", ... for MATPOWER rows; descriptive for generated grids). */
  id: string;
  from: number;
  to: number;
  rPu: number;
  xPu: number;
  /** Total line charging susceptance, p.u. */
  bPu: number;
  /** Ratings in MVA; 0 means unlimited (MATPOWER convention). */
  rateAMva: number;
  rateBMva: number;
  rateCMva: number;
  /** Off-nominal turns ratio at the from side; 0 means a line (ratio 1). */
  tap: number;
  shiftDeg: number;
  inService: boolean;
  angMinDeg: number;
  angMaxDeg: number;
  kind?: BranchKind;
  name?: string;
  /** Route as [lon, lat] points, from bus first. */
  geometry?: [number, number][];
  lengthKm?: number;
  /** Standard type name (e.g. "NAYY 4x150 SE", "630 kVA 20/0.4 kV"). */
  typeName?: string;
  extra?: number[];
}

export interface GenCost {
  /** 1 = piecewise linear, 2 = polynomial (MATPOWER MODEL column). */
  model: 1 | 2;
  startup: number;
  shutdown: number;
  /** Polynomial: c(n-1) ... c0; piecewise linear: x1 y1 ... xn yn. */
  coeffs: number[];
}

export interface Generator {
  id: string;
  bus: number;
  pgMw: number;
  qgMvar: number;
  qmaxMvar: number;
  qminMvar: number;
  vgPu: number;
  mBase: number;
  inService: boolean;
  pmaxMw: number;
  pminMw: number;
  /** Columns after PMIN (PC1 ... APF and beyond), kept for export. */
  extra?: number[];
  cost?: GenCost;
  /** Reactive cost row (second block of a 2*ng gencost matrix). */
  qCost?: GenCost;
}

/** An individually modelled consumer (e.g. a building); adds to the bus's Pd/Qd. */
export interface Load {
  id: string;
  bus: number;
  pMw: number;
  qMvar: number;
  kind?: string;
  buildingId?: string;
}

export type FpuKind = "pv" | "ev" | "battery" | "heat_pump" | "other";

export type ReactiveCapability =
  | { type: "box"; qMinMvar: number; qMaxMvar: number }
  /** PQ chart: a convex polygon of (P, Q) points the unit can operate at. */
  | { type: "polygon"; points: { pMw: number; qMvar: number }[] };

/**
 * Flexibility-providing unit. `pMw` is its scheduled injection (already counted in the
 * base power flow); it can be moved anywhere in [pMinMw, pMaxMw]. Upward flexibility
 * (more injection / less consumption) is pMaxMw - pMw, downward is pMinMw - pMw (<= 0).
 */
export interface Fpu {
  id: string;
  bus: number;
  kind: FpuKind;
  pMw: number;
  pMinMw: number;
  pMaxMw: number;
  qMvar: number;
  reactive: ReactiveCapability;
  buildingId?: string;
  owner?: string;
}

export interface NetworkMeta {
  source?: string;
  description?: string;
  /** Coordinate reference of lon/lat and geometries. */
  crs?: "EPSG:4326";
  [key: string]: unknown;
}

export interface Network {
  name: string;
  baseMVA: number;
  buses: Bus[];
  branches: Branch[];
  generators: Generator[];
  loads: Load[];
  fpus: Fpu[];
  meta?: NetworkMeta;
}

/** Offered flexibility of one unit, MW (up >= 0, down <= 0). */
export function fpuOfferMw(f: Fpu): { upMw: number; downMw: number } {
  return { upMw: Math.max(0, f.pMaxMw - f.pMw), downMw: Math.min(0, f.pMinMw - f.pMw) };
}
