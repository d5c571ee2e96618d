import { z } from "zod";

/** A stored clearing carries the dispatch per location of every grid (32 MB). */
export const RUN_BODY_LIMIT = 32 * 1024 * 1024;

const num = z.number();
const maybe = z.number().nullable();

/** POST body: a finished TSO clearing as the TSO view shows it (lib/server/tso.ts StoredRun). */
export const runSchema = z.strictObject({
  /** The clearing (POST /api/tso/clearings) this run stores; each is stored once. */
  clearingId: z.string().min(1, "name the clearing (POST /api/tso/clearings opens one)").max(100),
  requestMw: num,
  verified: z.boolean(),
  reactive: z.boolean(),
  status: z.enum(["optimal", "infeasible", "time_limit", "error"]),
  message: z.string().max(4000),
  totalMw: num,
  objectiveEur: maybe,
  grids: z
    .array(
      z.strictObject({
        gridId: z.string().min(1),
        lightModelId: z.string().min(1),
        selectedOperatingPoint: z.string().nullable(),
        selectedLabel: z.string().nullable(),
        locationMw: z.array(num),
        locationMvar: z.array(num),
        totalMw: num,
      }),
    )
    .min(1, "a clearing covers at least one grid"),
  dispatch: z.array(
    z.strictObject({
      bidId: z.string(),
      owner: z.string(),
      gridId: z.string(),
      location: z.string(),
      volumeMw: num,
      priceEurPerMwh: num,
      activatedMw: num,
      fraction: num,
      state: z.enum(["full", "partial", "none"]),
      costEur: num,
    }),
  ),
  validation: z.array(
    z.strictObject({
      gridId: z.string(),
      verdict: z.enum(["no violation", "violations", "not converged"]),
      violations: z.number().int().min(0),
      vMaePu: num,
      vRmsePu: num,
      lMaePct: num,
      lRmsePct: num,
    }),
  ),
  iterations: z.array(
    z.strictObject({
      iteration: z.number().int().min(1),
      status: z.string(),
      totalMw: num,
      objectiveEur: maybe,
      violations: z.number().int().min(0),
      vMaxErrPu: maybe,
      lMaxErrPct: maybe,
      action: z.string(),
    }),
  ),
  solveMs: num.min(0),
});
