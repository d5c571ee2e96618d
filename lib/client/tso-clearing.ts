import type { BidGroup } from "@/lib/clearing/milp";
import { decideVerifyStep, VERIFY_DEFAULTS, type Tightening } from "@/lib/clearing/verify-step";
import type { ClearRequest, ClearResult, ClearStage, JsonText, StageProgress } from "@/solver-worker/protocol";
import type { TsoBid, TsoValidation } from "@/lib/wire/tso";

/**
 * The TSO's clearing as the browser drives it: the solver worker clears against the
 * published light models, the server validates the dispatch on each DSO's side, and
 * in AC-verified mode (beyond [P004], as lib/clearing verifiedClearing for one
 * grid) every grid whose AC power flow violates a limit or disagrees with the linear
 * prediction by more than the tolerance is re-linearized at the dispatch (or, when the
 * dispatch is already a linearization point, its limits are tightened by the
 * violation) and the clearing runs again — over all grids at once, since they share
 * the balance (14j).
 */

export interface ClearingGrid {
  gridId: string;
  gridName: string;
  lightModelId: string;
  /** The published light model as JSON, text or bytes (parsed in the worker only). */
  lightModelJson: JsonText;
  bids: TsoBid[];
}

export interface ValidationRequestGrid {
  lightModelId: string;
  selectedIndex: number;
  locationMw: number[];
  locationMvar: number[];
  reactive: boolean;
  /** Points added by re-linearization, each as the JSON the server sent (text or bytes). */
  addedOperatingPointsJson: JsonText[];
}

export interface RelinearizeRequest {
  lightModelId: string;
  locationMw: number[];
  locationMvar: number[];
  pointIndex: number;
  iteration: number;
}

/** What the loop needs from the worker and the server (the browser's or a test's). */
export interface ClearingDeps {
  clear(req: ClearRequest, onProgress: (p: StageProgress<ClearStage>) => void): Promise<ClearResult>;
  /** Validate the dispatch of clearing iteration `iteration` (1-based). */
  validate(grids: ValidationRequestGrid[], iteration: number): Promise<TsoValidation[]>;
  /** The new operating point as JSON (text or bytes). */
  relinearize(req: RelinearizeRequest): Promise<JsonText>;
}

export interface ClearingOptions {
  requestMw: number;
  verified: boolean;
  reactive: boolean;
  groups: BidGroup[];
  maxIterations?: number;
  /** Largest accepted |linear − AC| of a monitored voltage (p.u.) and loading (%). */
  tolVPu?: number;
  tolLPct?: number;
}

export type IterationAction = "validated" | "accepted" | "re-linearized" | "tightened" | "stopped";

export interface ClearingIteration {
  iteration: number;
  status: ClearResult["clearing"]["status"];
  totalMw: number;
  objectiveEur: number | null;
  /** Over all grids; null when the clearing had no dispatch to validate. */
  violations: number;
  vMaxErrPu: number | null;
  lMaxErrPct: number | null;
  vMaePu: number | null;
  lMaePct: number | null;
  /** Names of the grids re-linearized or tightened after this iteration. */
  relinearized: string[];
  tightened: string[];
  action: IterationAction;
}

export interface ClearingOutcome {
  result: ClearResult;
  /** One per grid, in the order of the grids; null when the clearing found no dispatch. */
  validations: TsoValidation[] | null;
  iterations: ClearingIteration[];
  /** AC-verified mode ended with every grid within its limits and the tolerances. */
  verified: boolean;
}

export type StepReport = { phase: "clear"; iteration: number; progress: StageProgress<ClearStage> } | { phase: "validate" | "relinearize"; iteration: number; message: string };

/** The accepted |linear − AC| (p.u., %), as the TSO's page shows it: VERIFY_DEFAULTS of lib/clearing. */
export const VERIFY_TOLERANCE = { vPu: VERIFY_DEFAULTS.tolVPu, lPct: VERIFY_DEFAULTS.tolLPct } as const;

export async function runTsoClearing(grids: ClearingGrid[], opts: ClearingOptions, deps: ClearingDeps, report: (step: StepReport) => void = () => {}): Promise<ClearingOutcome> {
  const tol = {
    maxIterations: opts.maxIterations ?? VERIFY_DEFAULTS.maxIterations,
    tolVPu: opts.tolVPu ?? VERIFY_DEFAULTS.tolVPu,
    tolLPct: opts.tolLPct ?? VERIFY_DEFAULTS.tolLPct,
  };
  const added = grids.map(() => [] as JsonText[]);
  const tighten: Tightening[] = grids.map(() => ({ vPu: 0, lPct: 0 }));
  const iterations: ClearingIteration[] = [];

  for (let it = 1; ; it++) {
    const result = await deps.clear(
      {
        requestMw: opts.requestMw,
        grids: grids.map((g, k) => ({ gridId: g.gridId, lightModelJson: g.lightModelJson, addedOperatingPointsJson: added[k], tighten: tighten[k], bids: g.bids })),
        groups: opts.groups,
        options: { reactive: opts.reactive },
      },
      (progress) => report({ phase: "clear", iteration: it, progress }),
    );
    const c = result.clearing;
    const step: ClearingIteration = {
      iteration: it,
      status: c.status,
      totalMw: c.totalMw,
      objectiveEur: c.objectiveEur,
      violations: 0,
      vMaxErrPu: null,
      lMaxErrPct: null,
      vMaePu: null,
      lMaePct: null,
      relinearized: [],
      tightened: [],
      action: "stopped",
    };
    iterations.push(step);
    if (c.status !== "optimal") return { result, validations: null, iterations, verified: false };

    report({ phase: "validate", iteration: it, message: `Validating the dispatch with AC power flows on the DSO side (${grids.length} grid${grids.length === 1 ? "" : "s"})` });
    const validations = await deps.validate(
      grids.map((g, k) => ({
        lightModelId: g.lightModelId,
        selectedIndex: c.grids[k].selectedIndex,
        locationMw: Array.from(c.grids[k].locationMw),
        locationMvar: Array.from(c.grids[k].locationMvar),
        reactive: c.stats.reactive,
        addedOperatingPointsJson: added[k],
      })),
      it,
    );
    step.violations = validations.reduce((s, v) => s + v.violations, 0);
    step.vMaxErrPu = Math.max(...validations.map((v) => v.vMaxErrPu));
    step.lMaxErrPct = Math.max(...validations.map((v) => v.lMaxErrPct));
    step.vMaePu = Math.max(...validations.map((v) => v.vMaePu));
    step.lMaePct = Math.max(...validations.map((v) => v.lMaePct));
    if (!opts.verified) {
      step.action = "validated";
      return { result, validations, iterations, verified: false };
    }
    const decision = decideVerifyStep(
      it,
      validations.map((v, k) => ({ ...v, atOperatingPoint: result.grids[k].atOperatingPoint })),
      tighten,
      tol,
    );
    if (decision.action === "accepted") {
      step.action = "accepted";
      return { result, validations, iterations, verified: true };
    }
    if (decision.action === "stopped") return { result, validations, iterations, verified: false };

    for (const [k, next] of decision.grids.entries()) {
      if (next.kind === "tighten") {
        tighten[k] = next.tightening;
        step.tightened.push(grids[k].gridName);
      } else if (next.kind === "relinearize") {
        report({ phase: "relinearize", iteration: it, message: `Re-linearizing ${grids[k].gridName} at the dispatch on the DSO side` });
        added[k].push(
          await deps.relinearize({
            lightModelId: grids[k].lightModelId,
            locationMw: Array.from(c.grids[k].locationMw),
            locationMvar: Array.from(c.grids[k].locationMvar),
            pointIndex: result.grids[k].operatingPoints.length,
            iteration: it,
          }),
        );
        step.relinearized.push(grids[k].gridName);
      }
    }
    step.action = step.relinearized.length ? "re-linearized" : "tightened";
  }
}
