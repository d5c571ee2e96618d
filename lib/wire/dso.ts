import { z } from "zod";

/**
 * What crosses the wire in the DSO's view (app/api/grids/*): grid, layout, run, light-model
 * and TSO-request summaries, and the schema of the power flow summary the browser reports.
 * Types, schemas and pure constants only, imported by the server (lib/server) and the browser alike.
 */

export type GridSourceFormat = "matpower" | "json" | "generated";

/** What the DSO's grid list shows; never the network itself. */
export interface GridSummary {
  id: string;
  name: string;
  sourceFormat: GridSourceFormat;
  fileName: string | null;
  busCount: number;
  branchCount: number;
  fpuCount: number;
  createdAt: string;
}

/** What the DSO view is told about a stored layout besides its coordinates. */
export interface GridLayoutSummary {
  gridId: string;
  algorithm: string;
  busCount: number;
  crossings: number;
  movedBuses: number;
  updatedAt: string;
}

const finiteOrNull = z.number().refine(Number.isFinite, "must be a finite number").nullable();

/** A power flow summary the browser reports after a run in its worker. */
export const runInputSchema = z.object({
  status: z.enum(["converged", "max_iterations", "diverged", "singular", "no_slack"]),
  converged: z.boolean(),
  iterations: z.number().int().min(0).max(1000),
  vmMinPu: finiteOrNull,
  vmMinBusId: z.number().int().nullable(),
  lossPMw: finiteOrNull,
  lossQMvar: finiteOrNull,
  maxLoadingPct: finiteOrNull,
  solveMs: z.number().min(0).refine(Number.isFinite, "must be a finite number"),
});

export type RunInput = z.infer<typeof runInputSchema>;

export interface RunSummary extends RunInput {
  id: string;
  createdAt: string;
}

export interface LightModelSummary {
  id: string;
  gridId: string;
  operatingPoints: number;
  locations: number;
  monitoredBuses: number;
  monitoredBranches: number;
  reactive: boolean;
  sizeBytes: number;
  published: boolean;
  publishedAt: string | null;
  createdAt: string;
}

/** One thing the TSO asked about the DSO's grid, as the DSO's audit trail shows it. */
export interface TsoRequestView {
  id: string;
  createdAt: string;
  /** The TSO account that asked (display name and user name). */
  tso: string;
  kind: "validate" | "relinearize";
  clearingId: string | null;
  /** The balancing request of that clearing, MW. */
  requestMw: number | null;
  iteration: number;
  lightModelId: string;
  totalMw: number;
  activeLocations: number;
  accepted: boolean;
  /** The verdict of a validation, the new point of a re-linearization, or why it was refused. */
  outcome: string;
  /** The dispatch at each location with a non-zero value: opaque id and the DSO's bus. */
  dispatch: { location: string; bus: number | null; mw: number; mvar: number }[];
}
