import type { ValidationResult } from "./validate";

/**
 * The AC-verified clearing's decision (beyond [P004]), one step of it: given each grid's
 * AC check of the dispatch, accept, stop, or say per grid what to do before clearing again —
 * re-linearize at the dispatch, or, when the dispatch already is a linearization point (the
 * linear model is exact there) and still violates a limit, tighten the grid's limits by the
 * violation. Both loops — verifiedClearing (one grid, in Node) and runTsoClearing (every
 * published grid, the browser's worker and the server) — take their decisions here, with
 * these defaults.
 */
export const VERIFY_DEFAULTS = {
  maxIterations: 8,
  /** Largest accepted |linear − AC| of a monitored voltage (p.u.) and loading (%). */
  tolVPu: 1e-5,
  tolLPct: 1e-2,
} as const;

export interface VerifyTolerances {
  maxIterations: number;
  tolVPu: number;
  tolLPct: number;
}

/** How far the limits a grid is cleared against are moved inward (p.u., %). */
export interface Tightening {
  vPu: number;
  lPct: number;
}

/** One grid's AC check of a dispatch, as the DSO side reports it. */
export interface GridCheck {
  converged: boolean;
  violations: number;
  vMaxErrPu: number;
  lMaxErrPct: number;
  /** The largest excess over a voltage (p.u.) and over a loading (%) limit; 0 when none. */
  worstExcess: { voltagePu: number; loadingPct: number };
  /** The dispatch is one of the grid's linearization points. */
  atOperatingPoint: boolean;
}

export type GridStep = { kind: "keep" } | { kind: "relinearize" } | { kind: "tighten"; tightening: Tightening };

export type VerifyDecision = { action: "accepted" } | { action: "stopped" } | { action: "continue"; grids: GridStep[] };

/** Beyond the excess itself, how much further a tightened limit moves (p.u., %): the next dispatch must clear it. */
export const TIGHTEN_MARGIN = { vPu: 1e-6, lPct: 1e-4 } as const;

function withinTolerance(c: GridCheck, tol: Pick<VerifyTolerances, "tolVPu" | "tolLPct">): boolean {
  return c.converged && c.violations === 0 && c.vMaxErrPu <= tol.tolVPu && c.lMaxErrPct <= tol.tolLPct;
}

/** The decision after clearing iteration `iteration` (1-based), with each grid's current tightening. */
export function decideVerifyStep(iteration: number, checks: GridCheck[], tightening: Tightening[], tol: VerifyTolerances): VerifyDecision {
  const failing = checks.map((c) => !withinTolerance(c, tol));
  if (!failing.some(Boolean)) return { action: "accepted" };
  if (iteration >= tol.maxIterations) return { action: "stopped" };
  return {
    action: "continue",
    grids: checks.map((c, k): GridStep => {
      if (!failing[k]) return { kind: "keep" };
      if (!(c.atOperatingPoint && c.violations > 0)) return { kind: "relinearize" };
      const t = tightening[k];
      return {
        kind: "tighten",
        tightening: {
          vPu: Math.max(t.vPu, c.worstExcess.voltagePu > 0 ? c.worstExcess.voltagePu + TIGHTEN_MARGIN.vPu : 0),
          lPct: Math.max(t.lPct, c.worstExcess.loadingPct > 0 ? c.worstExcess.loadingPct + TIGHTEN_MARGIN.lPct : 0),
        },
      };
    }),
  };
}

/** The largest excess over a voltage and over a loading limit of an AC validation (0 without). */
export function worstExcess(violations: ValidationResult["violations"]): GridCheck["worstExcess"] {
  const excess = (kind: "voltage" | "loading") => violations.filter((x) => x.kind === kind).reduce((m, x) => Math.max(m, Math.abs(x.value - x.limit)), 0);
  return { voltagePu: excess("voltage"), loadingPct: excess("loading") };
}

/** A Node-side validation as a GridCheck. */
export function checkOfValidation(v: ValidationResult, atOperatingPoint: boolean): GridCheck {
  return { converged: v.converged, violations: v.violations.length, vMaxErrPu: v.vMaxErrPu, lMaxErrPct: v.lMaxErrPct, worstExcess: worstExcess(v.violations), atOperatingPoint };
}
