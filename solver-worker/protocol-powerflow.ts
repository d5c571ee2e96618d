/**
 * Message types of the single-network jobs: AC power flow, one LP/MILP with HiGHS,
 * AC optimal power flow and the schematic layout. Part of the table in solver-worker/protocol.ts.
 */
import type { Network } from "../lib/grid/types";
import type { LayoutStage, SchematicLayout } from "../lib/layout";
import type { BindingConstraint, OpfStatus } from "../lib/opf/solution";
import type { PowerFlowStatus } from "../lib/powerflow/solver";

// --- powerflow: AC power flow (Newton–Raphson) of one network --------------------

export interface PowerFlowRequest {
  /** Project JSON text (flexplat-network v1, parsed and validated in the worker) or a Network. */
  network: string | Network;
  options?: { tol?: number; maxIterations?: number };
}

export type PowerFlowStage = "parse" | "prepare" | "solve" | "results";

export interface PowerFlowSummary {
  networkName: string;
  baseMVA: number;
  status: PowerFlowStatus;
  converged: boolean;
  iterations: number;
  maxMismatchPu: number;
  message: string;
  vmMin: number;
  vmMinBusId: number;
  vmMax: number;
  vmMaxBusId: number;
  lossPMw: number;
  lossQMvar: number;
  slackPMw: number;
  slackQMvar: number;
  /** Largest |loading| in % of rateA, null when no branch has a rating. */
  maxLoadingPct: number | null;
  /** Id of that branch, null when none. */
  maxLoadingBranchId: string | null;
  islandedBusIds: number[];
  /** Newton solve (with Ybus and Jacobian set-up) in the worker, ms. */
  solveMs: number;
  /** Whole job in the worker including parsing, ms. */
  workerMs: number;
}

/** Results in file order; all arrays of one group have the same length. */
export interface PowerFlowPayload {
  summary: PowerFlowSummary;
  buses: {
    ids: Int32Array;
    vmPu: Float64Array;
    vaDeg: Float64Array;
    vminPu: Float64Array;
    vmaxPu: Float64Array;
  };
  branches: {
    ids: string[];
    names: (string | null)[];
    from: Int32Array;
    to: Int32Array;
    inService: Uint8Array;
    pFromMw: Float64Array;
    qFromMvar: Float64Array;
    pToMw: Float64Array;
    qToMvar: Float64Array;
    /** Signed by the direction of P at the from end; NaN where the branch has no rating. */
    loadingPct: Float64Array;
    lossPMw: Float64Array;
    lossQMvar: Float64Array;
  };
}

// --- lp-solve: one LP/MILP in CPLEX LP format with HiGHS --------------------------

export interface LpSolveRequest {
  /** The model in CPLEX LP text format. */
  lp: string;
  timeLimitSec?: number;
}

export type LpSolveStage = "load" | "solve";

export interface LpSolveResult {
  /** HiGHS model status, e.g. "Optimal", "Infeasible", "Unbounded". */
  status: string;
  /** Objective value when HiGHS found a solution, else null. */
  objective: number | null;
  /** Primal value per column name (empty without a solution). */
  columns: Record<string, number>;
  solveMs: number;
}

// --- opf: AC optimal power flow (MATPOWER's formulation, interior point) ------------

export interface OpfRequest {
  /** Project JSON text (parsed and validated in the worker) or a Network. */
  network: string | Network;
  options?: { maxIterations?: number; closeTies?: boolean };
}

export type OpfStage = "parse" | "prepare" | "iterate" | "results";

/** Everything the DSO view shows of an OPF; arrays in file order. */
export interface OpfPayload {
  summary: {
    networkName: string;
    status: OpfStatus;
    message: string;
    /** $/h; null when the run ended without a point (infeasible before iterating). */
    objective: number | null;
    iterations: number;
    lossPMw: number;
    solveMs: number;
    workerMs: number;
  };
  buses: { ids: Int32Array; vmPu: Float64Array; vaDeg: Float64Array; vminPu: Float64Array; vmaxPu: Float64Array; lamP: Float64Array; lamQ: Float64Array };
  gens: {
    ids: string[];
    bus: Int32Array;
    inService: Uint8Array;
    pgMw: Float64Array;
    qgMvar: Float64Array;
    pminMw: Float64Array;
    pmaxMw: Float64Array;
    qminMvar: Float64Array;
    qmaxMvar: Float64Array;
  };
  branches: { ids: string[]; from: Int32Array; to: Int32Array; sFromMva: Float64Array; sToMva: Float64Array; loadingPct: Float64Array };
  binding: BindingConstraint[];
  /** Objective and MIPS's convergence measures per iteration. */
  history: { objective: Float64Array; feasCond: Float64Array; gradCond: Float64Array; compCond: Float64Array };
}

// --- layout: schematic coordinates of a grid without geography (lib/layout) -------------

export interface LayoutRequest {
  /** Project JSON text (parsed and validated in the worker) or a Network. */
  network: string | Network;
}

export type LayoutJobStage = "parse" | LayoutStage;

/**
 * lib/layout's SchematicLayout: coordinates in the network's bus order, in the layout's
 * units (one unit ≈ one bus spacing; y down), with the algorithm, components, loops and
 * crossings; plus the whole job's time in the worker including parsing, ms.
 */
export type LayoutResult = SchematicLayout & { workerMs: number };
