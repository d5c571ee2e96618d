import type { Bid } from "./bid";
import { decodeOperatingPoints, type LightModel } from "../sensitivity/light-model";
import { clearBids, type ClearingOptions, type ClearingResult } from "./clear";
import type { HighsLike } from "./solve";
import { addOperatingPoint, type DsoContext } from "./dso";
import { validateDispatch, type ValidationResult } from "./validate";
import { checkOfValidation, decideVerifyStep, VERIFY_DEFAULTS, type Tightening } from "./verify-step";

/**
 * AC-verified clearing (beyond [P004]): clear with the light model, let the DSO
 * run the AC power flow with the dispatch, and while a limit is violated or the
 * linear prediction is off by more than a tolerance, add the dispatched point as a
 * new operating point (re-linearized there) and clear again. If the dispatch lands
 * on a point that is already a linearization point and still violates a limit, the
 * limits the TSO clears against are tightened by the violation.
 */
export interface VerifiedOptions extends ClearingOptions {
  /** Defaults: VERIFY_DEFAULTS (verify-step.ts), shared with the browser's loop. */
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
  tightening: Tightening;
}

export function verifiedClearing(highs: HighsLike, dso: DsoContext, lightModel: LightModel, bids: Bid[], requestMw: number, opts: VerifiedOptions = {}): VerifiedResult {
  const tol = {
    maxIterations: opts.maxIterations ?? VERIFY_DEFAULTS.maxIterations,
    tolVPu: opts.tolVPu ?? VERIFY_DEFAULTS.tolVPu,
    tolLPct: opts.tolLPct ?? VERIFY_DEFAULTS.tolLPct,
  };
  let lm = lightModel;
  const history: VerifiedStep[] = [];
  let tighten: Tightening = { vPu: 0, lPct: 0 };
  const record = (step: VerifiedStep) => {
    history.push(step);
    opts.onIteration?.(step);
  };
  for (let it = 1; ; it++) {
    const limits = {
      vMinPu: lm.limits.vMinPu + tighten.vPu,
      vMaxPu: lm.limits.vMaxPu - tighten.vPu,
      loadingMinPct: lm.limits.loadingMinPct + tighten.lPct,
      loadingMaxPct: lm.limits.loadingMaxPct - tighten.lPct,
    };
    const decoded = decodeOperatingPoints(lm);
    const clearing = clearBids(highs, { ...lm, limits }, bids, requestMw, { ...opts, decoded });
    if (clearing.status !== "optimal") {
      record({
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
      });
      return { clearing, validation: null, iterations: it, verified: false, history, lightModel: lm, tightening: tighten };
    }
    const validation = validateDispatch(dso.net, dso.key, lm, decoded, clearing);
    const atPoint = decoded.some((op) => op.pFlexMw.every((x, k) => Math.abs(x - clearing.locationMw[k]) < 1e-9));
    const decision = decideVerifyStep(it, [checkOfValidation(validation, atPoint)], [tighten], tol);
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
      action: decision.action === "accepted" ? "accepted" : "stopped",
    };
    if (decision.action !== "continue") {
      record(step);
      return { clearing, validation, iterations: it, verified: decision.action === "accepted", history, lightModel: lm, tightening: tighten };
    }
    const next = decision.grids[0];
    if (next.kind === "tighten") {
      tighten = next.tightening;
      step.action = "tightened";
    } else {
      lm = addOperatingPoint(dso, lm, { label: `dispatch of iteration ${it}`, locationMw: clearing.locationMw, locationMvar: clearing.locationMvar });
      step.action = "re-linearized";
    }
    record(step);
  }
}
