import type { Bid } from "../market/bids";
import { decodeOperatingPoints, type LightModel } from "../sensitivity/light-model";
import { clearBids, type ClearingOptions, type ClearingResult, type HighsLike } from "./clear";
import { addOperatingPoint, type DsoContext } from "./dso";
import { validateDispatch, type ValidationResult } from "./validate";

/**
 * AC-verified clearing (beyond the paper): clear with the light model, let the DSO
 * run the AC power flow with the dispatch, and while a limit is violated or the
 * linear prediction is off by more than a tolerance, add the dispatched point as a
 * new operating point (re-linearized there) and clear again. If the dispatch lands
 * on a point that is already a linearization point and still violates a limit, the
 * limits the TSO clears against are tightened by the violation.
 */
export interface VerifiedOptions extends ClearingOptions {
  maxIterations?: number;
  /** Largest accepted |linear - AC| over the monitored voltages (p.u.) and loadings (%). */
  tolVPu?: number;
  tolLPct?: number;
  onIteration?: (step: VerifiedStep) => void;
}

export interface VerifiedStep {
  iteration: number;
  status: ClearingResult["status"];
  totalMw: number;
  objectiveEur: number | null;
  selectedOperatingPoint: string | null;
  violations: number;
  vMaxErrPu: number;
  lMaxErrPct: number;
  vMaePu: number;
  lMaePct: number;
  action: "accepted" | "re-linearized" | "tightened" | "stopped";
}

export interface VerifiedResult {
  clearing: ClearingResult;
  validation: ValidationResult | null;
  iterations: number;
  verified: boolean;
  history: VerifiedStep[];
  lightModel: LightModel;
  tightening: { vPu: number; lPct: number };
}

export function verifiedClearing(
  highs: HighsLike,
  dso: DsoContext,
  lightModel: LightModel,
  bids: Bid[],
  requestMw: number,
  opts: VerifiedOptions = {},
): VerifiedResult {
  const maxIt = opts.maxIterations ?? 8;
  const tolV = opts.tolVPu ?? 1e-5;
  const tolL = opts.tolLPct ?? 1e-2;
  let lm = lightModel;
  const history: VerifiedStep[] = [];
  const tighten = { vPu: 0, lPct: 0 };
  let last: { clearing: ClearingResult; validation: ValidationResult | null } | null = null;
  for (let it = 1; it <= maxIt; it++) {
    const limits = {
      vMinPu: lm.limits.vMinPu + tighten.vPu,
      vMaxPu: lm.limits.vMaxPu - tighten.vPu,
      loadingMinPct: lm.limits.loadingMinPct + tighten.lPct,
      loadingMaxPct: lm.limits.loadingMaxPct - tighten.lPct,
    };
    const decoded = decodeOperatingPoints(lm);
    const clearing = clearBids(highs, { ...lm, limits }, bids, requestMw, { ...opts, decoded });
    if (clearing.status !== "optimal") {
      const step: VerifiedStep = {
        iteration: it,
        status: clearing.status,
        totalMw: clearing.totalMw,
        objectiveEur: clearing.objectiveEur,
        selectedOperatingPoint: null,
        violations: 0,
        vMaxErrPu: NaN,
        lMaxErrPct: NaN,
        vMaePu: NaN,
        lMaePct: NaN,
        action: "stopped",
      };
      history.push(step);
      opts.onIteration?.(step);
      return { clearing, validation: null, iterations: it, verified: false, history, lightModel: lm, tightening: tighten };
    }
    const validation = validateDispatch(dso.net, dso.key, lm, decoded, clearing);
    last = { clearing, validation };
    const ok =
      validation.converged &&
      validation.violations.length === 0 &&
      validation.vMaxErrPu <= tolV &&
      validation.lMaxErrPct <= tolL;
    const step: VerifiedStep = {
      iteration: it,
      status: clearing.status,
      totalMw: clearing.totalMw,
      objectiveEur: clearing.objectiveEur,
      selectedOperatingPoint: clearing.selectedOperatingPoint,
      violations: validation.violations.length,
      vMaxErrPu: validation.vMaxErrPu,
      lMaxErrPct: validation.lMaxErrPct,
      vMaePu: validation.vMaePu,
      lMaePct: validation.lMaePct,
      action: ok ? "accepted" : "re-linearized",
    };
    if (ok) {
      history.push(step);
      opts.onIteration?.(step);
      return { clearing, validation, iterations: it, verified: true, history, lightModel: lm, tightening: tighten };
    }
    if (it === maxIt) {
      step.action = "stopped";
      history.push(step);
      opts.onIteration?.(step);
      break;
    }
    // Is the dispatch already one of the linearization points?
    const atPoint = decoded.some((op) => op.pFlexMw.every((x, k) => Math.abs(x - clearing.locationMw[k]) < 1e-9));
    if (atPoint && validation.violations.length > 0) {
      for (const v of validation.violations) {
        const excess = Math.abs(v.value - v.limit);
        if (v.kind === "voltage") tighten.vPu = Math.max(tighten.vPu, excess + 1e-6);
        else tighten.lPct = Math.max(tighten.lPct, excess + 1e-4);
      }
      step.action = "tightened";
    } else {
      lm = addOperatingPoint(dso, lm, {
        label: `dispatch of iteration ${it}`,
        locationMw: clearing.locationMw,
        locationMvar: clearing.locationMvar,
      });
    }
    history.push(step);
    opts.onIteration?.(step);
  }
  return {
    clearing: last!.clearing,
    validation: last!.validation,
    iterations: history.length,
    verified: false,
    history,
    lightModel: lm,
    tightening: tighten,
  };
}
