/**
 * Message types of the market: the DSO's light model (sensitivities) and the TSO's
 * MILP clearing over the published light models. Part of the table in solver-worker/protocol.ts.
 */
import type { MarketClearingResult } from "../lib/clearing/result";
import type { BidGroup } from "../lib/clearing/milp";
import type { Network } from "../lib/grid/types";
import type { Bid } from "../lib/market/bids";

// --- sensitivities: the DSO's light model (VTDF/LTDF at several operating points) ---

/** How the DSO builds its light model (provisioning paper eq. 3-8). */
export interface LightModelOptions {
  /** Preset operating points (lib/sensitivity OPERATING_POINT_PRESETS: none, half, all, half-down, all-down). */
  presets: string[];
  /**
   * Custom operating points: the same fraction of every location's offer, upward for
   * a positive fraction, downward for a negative one (checked by customOperatingPoint).
   */
  custom: { fraction: number }[];
  /** Also the sensitivities to reactive injection (p.u./MVAr, %/MVAr). */
  reactive: boolean;
  /**
   * Monitored elements: every energized bus and rated branch; only those that come
   * within the margins of a limit at an operating point; or those whose linear
   * prediction can come within the margins anywhere in the box of offered flexibility.
   */
  monitor: "all" | "near-limits" | "screen";
  limits: { vMinPu: number; vMaxPu: number; loadingMaxPct: number };
  margins: { voltagePu: number; loadingPct: number };
}

/** The paper's three linearization points, reactive sensitivities, every element monitored, 0.95/1.05 p.u. and ±100 %. */
export const DEFAULT_LIGHT_MODEL_OPTIONS: LightModelOptions = {
  presets: ["none", "half", "all"],
  custom: [],
  reactive: true,
  monitor: "all",
  limits: { vMinPu: 0.95, vMaxPu: 1.05, loadingMaxPct: 100 },
  margins: { voltagePu: 0.01, loadingPct: 10 },
};

export interface SensitivitiesRequest {
  /** Project JSON text (parsed and validated in the worker) or a Network. */
  network: string | Network;
  options: LightModelOptions;
}

export type SensitivitiesStage = "parse" | "power-flow" | "screening" | "sensitivities" | "light-model";

export interface OperatingPointSummary {
  id: string;
  label: string;
  converged: boolean;
  message: string;
  vmMin: number;
  vmMax: number;
  maxLoadingPct: number | null;
  /** Activated flexibility at the point: sum, upward part and downward part (MW). */
  flexMw: number;
  flexUpMw: number;
  flexDownMw: number;
}

/** One row of "what crosses the boundary" (describeLightModel). */
export interface BoundaryRow {
  field: string;
  shape: string;
  bytes: number;
}

/**
 * The light model for the TSO and everything the DSO view shows about it. Matrices
 * are row-major in the DSO's own order (monitored element × location), not the
 * light model's shuffled one; they stay on the DSO's side.
 */
export interface SensitivitiesResult {
  summary: {
    networkName: string;
    locations: number;
    monitoredBuses: number;
    monitoredBranches: number;
    /** Candidates before restricting or screening. */
    candidateBuses: number;
    candidateBranches: number;
    reactive: boolean;
    monitor: LightModelOptions["monitor"];
    strategy: "columns" | "rows";
    /** computeSensitivities (power flows, factorizations, solves), ms. */
    computeMs: number;
    /** Whole job in the worker including parsing and encoding, ms. */
    workerMs: number;
  };
  points: OperatingPointSummary[];
  locationBusIds: Int32Array;
  monitoredBusIds: Int32Array;
  monitoredBranchIds: string[];
  matrices: { vtdf: Float64Array; ltdf: Float64Array; vtdfQ: Float64Array | null; ltdfQ: Float64Array | null }[];
  /** Voltage magnitude of every bus (file order) at each operating point. */
  profiles: { busIds: Int32Array; vmPu: Float64Array[] };
  /** Null when an operating point did not converge (see `failure`). */
  lightModel: {
    modelId: string;
    /** The light model as JSON text: exactly what is published and downloaded. */
    json: string;
    /** The private key (opaque ids → buses and branches) as JSON text; goes to the DSO's server only. */
    keyJson: string;
    sizeBytes: number;
    boundary: BoundaryRow[];
  } | null;
  failure: string | null;
}

// --- clear: the TSO's MILP clearing (eq. 11-14) over the published light models ------

/** JSON as text, or as its UTF-8 bytes (which can be transferred instead of copied). */
export type JsonText = string | Uint8Array;

export interface ClearGridInput {
  gridId: string;
  /** The published light model as JSON (parsed and checked with the strict schema in the worker). */
  lightModelJson: JsonText;
  /** Operating points added by re-linearization (AC-verified clearing), each as JSON. */
  addedOperatingPointsJson?: JsonText[];
  /** Limits tightened by this much (AC-verified clearing when a dispatch at a linearization point violates a limit). */
  tighten?: { vPu: number; lPct: number };
  bids: Bid[];
}

export interface ClearRequest {
  requestMw: number;
  grids: ClearGridInput[];
  groups: BidGroup[];
  options?: { reactive?: boolean; timeLimitS?: number };
}

export type ClearStage = "load" | "parse" | "solve";

export interface ClearResult {
  clearing: MarketClearingResult;
  grids: {
    gridId: string;
    modelId: string;
    operatingPoints: { id: string; label: string }[];
    selectedLabel: string | null;
    /** The dispatch coincides with one of the grid's linearization points. */
    atOperatingPoint: boolean;
  }[];
  parseMs: number;
  solveMs: number;
  workerMs: number;
}
