/**
 * The one table of messages between the main thread and the solver worker. Each
 * message type names its request, its progress reports and its result; the client
 * (lib/client/solver-client.ts) and the worker (solver-worker/handlers.ts) are both
 * typed from it. Typed arrays in results travel as transferables, not copies.
 *
 * To add a message type: add a row to SolverProtocol, a handler in HANDLERS
 * (solver-worker/handlers.ts), and call it with `client.run("<type>", request)`.
 */
import type { MarketClearingResult } from "../lib/clearing/result";
import type { BidGroup } from "../lib/clearing/milp";
import type { StudyReport } from "../lib/coordination/report";
import type { Represented } from "../lib/coordination/represent";
import type { PublishedCostModel } from "../lib/coordination/cost-model";
import type { PostCoordination, SetPointInput } from "../lib/coordination/post";
import type { CoordMethod, DsRepresentation } from "../lib/coordination/representation";
import type { SetPoint as TsoSetPoint } from "../lib/coordination/tso-opf";
import type { RegionProblemOptionsStored } from "../lib/regions/problem-options";
import type { PublishedRegion } from "../lib/regions/published";
import type { Network } from "../lib/grid/types";
import type { LayoutStage, SchematicLayout } from "../lib/layout";
import type { Bid } from "../lib/market/bids";
import type { BindingConstraint, OpfStatus } from "../lib/opf/solution";
import type { PowerFlowStatus } from "../lib/powerflow/solver";
import type { BoundaryPoint, Frame, PqRegions, Point, RegionComparison, RegionMethod, RegionProblem, RegionTask, TaskOutcome, UnitSource, unitSummary } from "../lib/regions";
import type { CostModel, PqvPolynomial, PqvRegion, polynomialViews, SamplePlan } from "../lib/regions/pqv";

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

// --- PQ regions: LinDistFlow, loss-compensated and exact (AC-OPF) --------------------

export interface RegionJobOptions {
  /** Which units: the grid's own (auto), the paper's single DER, declared generators, or the flexibility units. */
  units: "auto" | UnitSource;
  /** Shares of the feeder's demand bounding the default DER. */
  der: { pShare: number; qShare: number };
  closeTies: boolean;
  methods: RegionMethod[];
  directions: number;
  epsilonSteps: number;
}

export interface RegionPrepareRequest {
  network: string | Network;
  options: RegionJobOptions;
}

export type RegionStage = "parse" | "linear" | "exact" | "compare";

export interface RegionPrepareResult {
  /** Identifies the problem in the workers' caches; problemJson goes to each worker once. */
  problemKey: string;
  problemJson: string;
  /** The normalization of the exact region's first solves. */
  frame: Frame;
  summary: {
    networkName: string;
    pccBus: number;
    unitSource: UnitSource;
    units: ReturnType<typeof unitSummary>;
    pcc: RegionProblem["pcc"];
  };
  lds: PqRegions["lds"];
  slc: PqRegions["slc"];
  linDistFlowNote: string | null;
  /**
   * The DSO's cost of the exchange under each linear region's balance (lib/coordination
   * balanceCost: lossless for U_LDS, with the loss quadratics for U_SLC), as published;
   * null where the region is missing or the units' costs have no polynomial balance (`costNote`).
   */
  costModels: { lds: PublishedCostModel | null; slc: PublishedCostModel | null };
  costNote: string | null;
  workerMs: number;
}

export interface RegionTasksRequest {
  problemKey: string;
  /** The problem, the first time this worker sees it. */
  problemJson?: string;
  tasks: RegionTask[];
}

export interface RegionTasksResult {
  outcomes: TaskOutcome[];
}

export interface RegionCompareRequest {
  problemKey: string;
  problemJson?: string;
  lds: Point[] | null;
  slc: Point[] | null;
  exact: Point[];
}

export interface RegionCompareResult {
  comparison: RegionComparison[];
}

// --- PQV regions (paper 002): boundary by AC-OPF sampling, polynomial, cost -----------

export interface PqvJobOptions {
  vRange: [number, number];
  closeTies: boolean;
  /** The DSO's unit list (JSON text, lib/regions/pqv parseUnitList), or none for the grid's units. */
  unitListJson: string | null;
  directions: number;
}

export type PqvStage = "parse" | "fit" | "finish";

export interface PqvPrepareRequest {
  network: string | Network;
  options: PqvJobOptions;
}

export interface PqvPrepareResult {
  problemKey: string;
  problemJson: string;
  frame: Frame;
  summary: { networkName: string; pccBus: number; unitSource: UnitSource; units: ReturnType<typeof unitSummary>; vRange: [number, number] };
  workerMs: number;
}

/** Boundary points without their dispatch (what the fit needs). */
export type PqvPointLite = Pick<BoundaryPoint, "pMw" | "qMvar" | "vPu" | "task">;

export interface PqvFitRequest {
  boundary: PqvPointLite[];
  normals: [number, number, number][];
  frame: Frame;
}

export interface PqvFitResult {
  polynomial: PqvPolynomial;
  degrees: { degree: number; heldOutError: number; heldOutMax: number }[];
  plan: SamplePlan;
}

export interface PqvFinishRequest {
  boundary: PqvPointLite[];
  frame: Frame;
  box: { min: [number, number, number]; max: [number, number, number] };
  polynomial: PqvPolynomial;
  plan: SamplePlan;
  /** The check tasks' outcomes, in the plan's order. */
  outcomes: { point: Pick<BoundaryPoint, "pMw" | "qMvar" | "vPu" | "costPerH"> | null; solves: number }[];
}

export interface PqvFinishResult {
  fit: { accuracy: number; signAccuracy: number; checked: { inside: number; insideFeasible: number; outside: number; outsideInfeasible: number } };
  costModel: CostModel;
  /** The inner polytope (lib/regions/pqv/hull.ts) and its AC check. */
  hull: PqvRegion["hull"];
  views: ReturnType<typeof polynomialViews>;
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

// --- the 29-feeder coordination study (lib/coordination, papers 000/002) --------------

/** MATPOWER case texts of the study: the transmission grid and the three feeder types. */
export interface StudyCases {
  transmission: string;
  case10ba: string;
  case33mg: string;
  case118zh: string;
}

export type StudyStage = "regions" | "centralized" | "coordination";

export interface StudyRepresentRequest {
  cases: StudyCases;
  method: CoordMethod;
  /** Indices of the distribution systems this worker builds. */
  systems: number[];
}

export interface StudyRepresentResult {
  represented: Represented[];
  /** How many distribution systems the study has (ask with no systems to learn it). */
  systems: number;
}

export interface StudyCoordinateRequest {
  cases: StudyCases;
  methods: CoordMethod[];
  /** Every system's representation, by method, in the study's order. */
  represented: Partial<Record<CoordMethod, Represented[]>>;
}

// --- coordinate / post-coordinate: the TSO's region-based AC-OPF and the DSO's dispatch (issue 13) ---

export interface CoordinateAssignment {
  /** The FlexRegion's id (the set-point is sent for it). */
  regionId: string;
  label: string;
  /** PCC bus of the transmission grid. */
  tsBus: number;
  /** The published region as the TSO received it (checked again with its strict schema). */
  region: PublishedRegion;
}

export interface CoordinateRequest {
  /** The TSO's transmission grid as project JSON text. */
  network: string;
  assignments: CoordinateAssignment[];
  /** Remove the PCC bus's own demand (the distribution system replaces it); false: its exchange comes on top of it. */
  replaceDemand: boolean;
}

export type CoordinateStage = "parse" | "represent" | "solve";

export interface CoordinateResult {
  networkName: string;
  status: OpfStatus;
  message: string;
  /** Transmission generation cost plus the DSOs' cost models ($/h). */
  objective: number;
  tsCostPerH: number;
  setPoints: (TsoSetPoint & { regionId: string; method: CoordMethod; costBasis: DsRepresentation["costBasis"] })[];
  /** Binding limits of the transmission grid (the regions' own excluded). */
  binding: BindingConstraint[];
  iterations: number;
  solveMs: number;
  workerMs: number;
}

export interface PostCoordinateRequest {
  /** The DSO's grid as project JSON text or a Network. */
  network: string | Network;
  /** How the published region's problem was built (stored with the region, DSO side only). */
  options: RegionProblemOptionsStored;
  setPoint: SetPointInput;
}

export type PostCoordinateStage = "parse" | "problem" | "dispatch";

export interface PostCoordinateResult {
  networkName: string;
  pccBus: number;
  units: ReturnType<typeof unitSummary>;
  post: Omit<PostCoordination, "vm">;
  /** Voltage magnitude per bus of the problem's network (file order). */
  buses: { ids: Int32Array; vmPu: Float64Array };
  workerMs: number;
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
