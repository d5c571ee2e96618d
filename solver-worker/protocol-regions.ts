/**
 * Message types of the flexibility regions: PQ regions (LinDistFlow, loss-compensated,
 * exact) and PQV regions (paper 002). Part of the table in solver-worker/protocol.ts.
 */
import type { PublishedCostModel } from "../lib/coordination/cost-model";
import type { Network } from "../lib/grid/types";
import type { BoundaryPoint, Frame, PqRegions, Point, RegionComparison, RegionMethod, RegionProblem, RegionTask, TaskOutcome, UnitSource, unitSummary } from "../lib/regions";
import type { CostModel, PqvPolynomial, PqvRegion, polynomialViews, SamplePlan } from "../lib/regions/pqv";

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
