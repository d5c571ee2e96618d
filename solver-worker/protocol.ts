/**
 * The one table of messages between the main thread and the solver worker. Each
 * message type names its request, its progress reports and its result; the client
 * (lib/client/solver-client.ts) and the worker (solver-worker/handlers.ts) are both
 * typed from it. Typed arrays in results travel as transferables, not copies.
 *
 * To add a message type: add a row to SolverProtocol, a handler in HANDLERS
 * (solver-worker/handlers.ts), and call it with `client.run("<type>", request)`.
 */
import type { Network } from "../lib/grid/types";
import type { PowerFlowStatus } from "../lib/powerflow/solver";

/** A step of a longer job; `fraction` is the share of the job done when the step starts (0..1). */
export interface StageProgress<Stage extends string = string> {
  stage: Stage;
  fraction: number;
  message: string;
}

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

// --- the table --------------------------------------------------------------------

export interface SolverProtocol {
  powerflow: { request: PowerFlowRequest; progress: StageProgress<PowerFlowStage>; result: PowerFlowPayload };
  "lp-solve": { request: LpSolveRequest; progress: StageProgress<LpSolveStage>; result: LpSolveResult };
}

export type SolverMessageType = keyof SolverProtocol;
export type RequestOf<T extends SolverMessageType> = SolverProtocol[T]["request"];
export type ProgressOf<T extends SolverMessageType> = SolverProtocol[T]["progress"];
export type ResultOf<T extends SolverMessageType> = SolverProtocol[T]["result"];

/** Main thread → worker. */
export type ToWorker = { [T in SolverMessageType]: { kind: "request"; id: number; type: T; request: RequestOf<T> } }[SolverMessageType];

export interface SerializedError {
  name: string;
  message: string;
}

/** Worker → main thread. */
export type FromWorker =
  | { kind: "progress"; id: number; progress: ProgressOf<SolverMessageType> }
  | { kind: "result"; id: number; result: ResultOf<SolverMessageType> }
  | { kind: "error"; id: number; error: SerializedError };
