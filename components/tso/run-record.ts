import type { ClearingOptions, ClearingOutcome } from "@/lib/client/tso-clearing";
import type { StoredRun } from "@/lib/wire/tso";

/** The clearing as it is stored (POST /api/tso/runs): result, dispatch per location, validation, iterations. */
export function runRecord(
  outcome: ClearingOutcome,
  opts: Pick<ClearingOptions, "requestMw" | "verified" | "reactive">,
  lightModelIds: string[],
  clearingId: string,
): StoredRun & { clearingId: string } {
  const c = outcome.result.clearing;
  const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
  return {
    clearingId,
    requestMw: opts.requestMw,
    verified: opts.verified,
    reactive: opts.reactive,
    status: c.status,
    message: c.message,
    totalMw: c.totalMw,
    objectiveEur: finite(c.objectiveEur),
    grids: c.grids.map((g, k) => ({
      gridId: g.gridId,
      lightModelId: lightModelIds[k],
      selectedOperatingPoint: g.selectedOperatingPoint,
      selectedLabel: outcome.result.grids[k].selectedLabel,
      locationMw: Array.from(g.locationMw),
      locationMvar: Array.from(g.locationMvar),
      totalMw: g.totalMw,
    })),
    dispatch: c.dispatch.map((d) => ({ ...d })),
    validation: (outcome.validations ?? []).map((v) => ({
      gridId: v.gridId,
      verdict: v.verdict,
      violations: v.violations,
      vMaePu: v.vMaePu,
      vRmsePu: v.vRmsePu,
      lMaePct: v.lMaePct,
      lRmsePct: v.lRmsePct,
    })),
    iterations: outcome.iterations.map((s) => ({
      iteration: s.iteration,
      status: s.status,
      totalMw: s.totalMw,
      objectiveEur: finite(s.objectiveEur),
      violations: s.violations,
      vMaxErrPu: finite(s.vMaxErrPu),
      lMaxErrPct: finite(s.lMaxErrPct),
      action: s.action,
    })),
    solveMs: outcome.result.solveMs,
  };
}
