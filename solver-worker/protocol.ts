/**
 * The one table of messages between the main thread and the solver worker. Each
 * message type names its request, its progress reports and its result; the client
 * (lib/client/solver-client.ts) and the worker (solver-worker/handlers.ts) are both
 * typed from it. Typed arrays in results travel as transferables, not copies.
 *
 * The requests and results live with their family (protocol-powerflow.ts, protocol-clearing.ts,
 * protocol-regions.ts, protocol-coordination.ts) and are exported from here too.
 *
 * To add a message type: add its types to the family's file, a row to SolverProtocol,
 * a handler in HANDLERS (solver-worker/handlers.ts), and call it with
 * `client.run("<type>", request)`.
 */
import type { StudyReport } from "../lib/coordination/report";
import type { ClearRequest, ClearResult, ClearStage, SensitivitiesRequest, SensitivitiesResult, SensitivitiesStage } from "./protocol-clearing";
import type {
  CoordinateRequest,
  CoordinateResult,
  CoordinateStage,
  PostCoordinateRequest,
  PostCoordinateResult,
  PostCoordinateStage,
  StudyCoordinateRequest,
  StudyRepresentRequest,
  StudyRepresentResult,
  StudyStage,
} from "./protocol-coordination";
import type {
  LayoutJobStage,
  LayoutRequest,
  LayoutResult,
  LpSolveRequest,
  LpSolveResult,
  LpSolveStage,
  OpfPayload,
  OpfRequest,
  OpfStage,
  PowerFlowPayload,
  PowerFlowRequest,
  PowerFlowStage,
} from "./protocol-powerflow";
import type {
  PqvFinishRequest,
  PqvFinishResult,
  PqvFitRequest,
  PqvFitResult,
  PqvPrepareRequest,
  PqvPrepareResult,
  PqvStage,
  RegionCompareRequest,
  RegionCompareResult,
  RegionPrepareRequest,
  RegionPrepareResult,
  RegionStage,
  RegionTasksRequest,
  RegionTasksResult,
} from "./protocol-regions";

export { DEFAULT_LIGHT_MODEL_OPTIONS } from "./protocol-clearing";
export type * from "./protocol-clearing";
export type * from "./protocol-coordination";
export type * from "./protocol-powerflow";
export type * from "./protocol-regions";

/** A step of a longer job; `fraction` is the share of the job done when the step starts (0..1). */
export interface StageProgress<Stage extends string = string> {
  stage: Stage;
  fraction: number;
  message: string;
}

// --- the table --------------------------------------------------------------------

export interface SolverProtocol {
  powerflow: { request: PowerFlowRequest; progress: StageProgress<PowerFlowStage>; result: PowerFlowPayload };
  "lp-solve": { request: LpSolveRequest; progress: StageProgress<LpSolveStage>; result: LpSolveResult };
  sensitivities: { request: SensitivitiesRequest; progress: StageProgress<SensitivitiesStage>; result: SensitivitiesResult };
  clear: { request: ClearRequest; progress: StageProgress<ClearStage>; result: ClearResult };
  opf: { request: OpfRequest; progress: StageProgress<OpfStage>; result: OpfPayload };
  "region-prepare": { request: RegionPrepareRequest; progress: StageProgress<RegionStage>; result: RegionPrepareResult };
  "region-tasks": { request: RegionTasksRequest; progress: StageProgress<RegionStage>; result: RegionTasksResult };
  "region-compare": { request: RegionCompareRequest; progress: StageProgress<RegionStage>; result: RegionCompareResult };
  "pqv-prepare": { request: PqvPrepareRequest; progress: StageProgress<PqvStage>; result: PqvPrepareResult };
  "pqv-fit": { request: PqvFitRequest; progress: StageProgress<PqvStage>; result: PqvFitResult };
  "pqv-finish": { request: PqvFinishRequest; progress: StageProgress<PqvStage>; result: PqvFinishResult };
  layout: { request: LayoutRequest; progress: StageProgress<LayoutJobStage>; result: LayoutResult };
  "study-represent": { request: StudyRepresentRequest; progress: StageProgress<StudyStage>; result: StudyRepresentResult };
  "study-coordinate": { request: StudyCoordinateRequest; progress: StageProgress<StudyStage>; result: StudyReport };
  coordinate: { request: CoordinateRequest; progress: StageProgress<CoordinateStage>; result: CoordinateResult };
  "post-coordinate": { request: PostCoordinateRequest; progress: StageProgress<PostCoordinateStage>; result: PostCoordinateResult };
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
