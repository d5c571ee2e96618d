/**
 * Message types of the coordination: the 29-feeder study, the TSO's region-based AC-OPF
 * and the DSO's dispatch after it. Part of the table in solver-worker/protocol.ts.
 */
import type { Represented } from "../lib/coordination/represent";
import type { PostCoordination, SetPointInput } from "../lib/coordination/post";
import type { CoordMethod, DsRepresentation } from "../lib/coordination/representation";
import type { SetPoint as TsoSetPoint } from "../lib/coordination/tso-opf";
import type { RegionProblemOptionsStored } from "../lib/regions/problem-options";
import type { PublishedRegion } from "../lib/regions/published";
import type { Network } from "../lib/grid/types";
import type { BindingConstraint, OpfStatus } from "../lib/opf/solution";
import type { unitSummary } from "../lib/regions";

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
