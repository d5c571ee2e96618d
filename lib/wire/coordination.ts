import { z } from "zod";
import type { SetPoint } from "@/lib/coordination/tso-opf";
import type { RegionProblemOptionsStored } from "@/lib/regions/problem-options";

/**
 * What crosses the wire in TSO–DSO coordination (app/api/tso/coordination-runs,
 * app/api/tso/transmission-grids, the DSO's set-points): the run the TSO's browser sends
 * (its zod schema and inferred type) and the views each side reads back. Types, schemas and
 * pure constants only, imported by the server (lib/server/coordination.ts) and the browser alike.
 */

export interface TransmissionGridSummary {
  id: string;
  name: string;
  sourceFormat: string;
  fileName: string | null;
  busCount: number;
  branchCount: number;
  generatorCount: number;
  /** Bus ids of the grid (the PCC choices; the TSO's own grid). */
  pccBuses: number[];
  createdAt: string;
}

const finite = z.number().refine(Number.isFinite, "must be a finite number");

/** What the TSO's browser sends after a coordination it wants to send out (the worker's result). */
export const coordinationRunSchema = z.strictObject({
  transmissionGridId: z.string().min(1).max(100),
  replaceDemand: z.boolean(),
  result: z.strictObject({
    status: z.string().max(40),
    message: z.string().max(2000),
    objective: finite,
    tsCostPerH: finite,
    iterations: z.number().int().min(0),
    solveMs: finite,
    binding: z.array(z.strictObject({ kind: z.string().max(40), element: z.string().max(200), side: z.string().max(20), value: finite, limit: finite, multiplier: finite })).max(5000),
  }),
  setPoints: z
    .array(
      z.strictObject({
        regionId: z.string().min(1).max(100),
        tsBus: z.number().int(),
        label: z.string().min(1).max(200),
        pMw: finite,
        qMvar: finite,
        vPu: finite,
        dsCostPerH: finite,
        lmpP: finite,
        lmpQ: finite,
        onBoundary: z.boolean(),
      }),
    )
    .min(1)
    .max(500),
});

export type CoordinationRunInput = z.infer<typeof coordinationRunSchema>;

export type SetPointStatus = "sent" | "accepted" | "rejected";

/** A set-point as the TSO sees it: its own numbers, the region's grid and DSO, and the DSO's answer. */
export interface TsoSetPointView extends SetPoint {
  id: string;
  regionId: string;
  gridName: string;
  dso: string;
  method: string;
  status: SetPointStatus;
  reason: string | null;
  respondedAt: string | null;
}

export interface CoordinationRunView {
  id: string;
  transmissionGridId: string;
  transmissionGridName: string;
  status: string;
  objective: number;
  tsCostPerH: number;
  createdAt: string;
  setPoints: TsoSetPointView[];
}

/** A set-point as its DSO sees it: the exchange and voltage asked of the grid, and what the region was built with. */
export interface DsoSetPointView {
  id: string;
  regionId: string;
  kind: string;
  method: string;
  /** How the region's problem was built (the DSO's own; null for regions stored without it). */
  options: RegionProblemOptionsStored | null;
  pMw: number;
  qMvar: number;
  /** The PCC voltage of the set-point (PQV regions hold it; PQ regions keep the feeder's own). */
  vPu: number;
  status: SetPointStatus;
  reason: string | null;
  sentAt: string;
  respondedAt: string | null;
}
