import type { Network } from "../grid/types";
import type { BlockLdlPattern } from "../sparse/block-ldl";
import { runIpm, type IpmIteration } from "./ipm";
import { KktSystem, type IpmPoint, type OpfObjective } from "./kkt";
import { blockPattern, buildLayout, NO_BOUND, variableBus, type KktLayout, type LinearConstraint, type LocalFunction } from "./layout";
import { buildOpfModel, type BuildOpfOptions, type OpfModel } from "./model";
import { infeasibilityPrecheck } from "./precheck";
import { classifyOutcome, extractSolution, type OpfSolution } from "./solution";

export interface OpfSolveOptions {
  /** Iteration limit (MIPS's default 150). */
  maxIterations?: number;
  /**
   * Convergence tolerances on MIPS's measures; the defaults are MATPOWER's (opf.violation
   * 5e-6 for feasibility, 1e-6 for the others), so that results match its runopf.
   */
  feasTol?: number;
  gradTol?: number;
  compTol?: number;
  costTol?: number;
  /** Start from a previous solution of this solver (primal and dual). */
  warmStart?: OpfWarmStart;
  /** A cold start's values for chosen variables (index in x → p.u. value, kept inside the bounds), e.g. a point inside a region constraint. */
  initial?: Map<number, number>;
  /** Called after every iteration (progress). */
  onIteration?: (info: IpmIteration) => void;
}

/** What a solution carries forward to the next, neighbouring solve. */
export interface OpfWarmStart {
  x: Float64Array;
  lam: Float64Array;
  mu: Float64Array;
  z: Float64Array;
  /** Layout key of the solve that produced mu/z; they are reused only when it matches. */
  rowKey: string;
}

/** Objective scaling of MATPOWER's OPF (opf.ac: cost_mult = 1e-4). */
const COST_SCALE = 1e-4;

/**
 * The AC optimal power flow of one network, reusable across many solves: bounds
 * (`xmin`/`xmax`), the objective (`objective`) and extra constraints can change
 * between solves; the block ordering and symbolic factorization are kept, and the
 * numeric layout is rebuilt only when the set of fixed variables or rows changes.
 */
export class AcOpf {
  readonly model: OpfModel;
  /** Variable bounds (p.u., radians); start as the case's, editable between solves. */
  readonly xmin: Float64Array;
  readonly xmax: Float64Array;
  objective: OpfObjective = { genCosts: true, linear: null, extra: [] };
  /** Extra inequality constraints h(x) ≤ 0. */
  extraConstraints: LocalFunction[] = [];
  /** Extra linear inequalities (cheaper than functions): Σ coeffs·x ≤ upper. */
  linearConstraints: LinearConstraint[] = [];
  private readonly varBus: Int32Array;
  private pattern: { key: string; value: BlockLdlPattern } | null = null;
  private layout: { key: string; value: KktLayout } | null = null;

  constructor(net: Network, opts: BuildOpfOptions = {}) {
    this.model = buildOpfModel(net, opts);
    this.xmin = this.model.xmin.slice();
    this.xmax = this.model.xmax.slice();
    this.varBus = variableBus(this.model);
  }

  /** Reset bounds to the case's. */
  resetBounds(): void {
    this.xmin.set(this.model.xmin);
    this.xmax.set(this.model.xmax);
  }

  solve(opts: OpfSolveOptions = {}): OpfSolution {
    const t0 = performance.now();
    const model = this.model;
    for (let v = 0; v < model.nx; v++) {
      if (!(this.xmin[v] <= this.xmax[v])) {
        throw new RangeError(`OPF variable ${v}: lower bound ${this.xmin[v]} exceeds upper bound ${this.xmax[v]}`);
      }
    }
    const pre = this.objective.genCosts ? infeasibilityPrecheck(model, this.xmin, this.xmax) : null;
    const layout = this.currentLayout();
    const sys = new KktSystem(model, layout, this.objective, this.xmin, this.xmax, this.extraConstraints, this.linearConstraints, COST_SCALE);
    if (pre) {
      const cold = this.coldStart(layout).p;
      sys.evaluate(cold, 1);
      return extractSolution(sys, cold, { status: "infeasible", message: pre, ipm: null }, performance.now() - t0, COST_SCALE);
    }
    const warm = opts.warmStart;
    const point = warm ? this.warmPoint(layout, sys, warm) : this.coldStart(layout, opts.initial);
    const ipm = runIpm(sys, point.p, {
      maxIterations: opts.maxIterations ?? 150,
      feasTol: opts.feasTol ?? 5e-6,
      gradTol: opts.gradTol ?? 1e-6,
      compTol: opts.compTol ?? 1e-6,
      costTol: opts.costTol ?? 1e-6,
      gamma0: point.gamma,
      exactNewtonEndgame: this.extraConstraints.length === 0,
      onIteration: opts.onIteration,
    });
    return extractSolution(sys, point.p, classifyOutcome(sys, ipm), performance.now() - t0, COST_SCALE);
  }

  private currentLayout(): KktLayout {
    const extras = [...this.objective.extra, ...this.extraConstraints, ...this.linearConstraints];
    const pKey = extras.map((f) => Array.from(f.vars, (v) => this.varBus[v]).join(".")).join("|");
    if (!this.pattern || this.pattern.key !== pKey) {
      this.pattern = { key: pKey, value: blockPattern(this.model, extras, this.varBus) };
      this.layout = null;
    }
    let fixed = "";
    for (let v = 0; v < this.model.nx; v++) {
      if (this.xmin[v] === this.xmax[v]) fixed += `${v},`;
      else fixed += `${this.xmin[v] > -NO_BOUND ? "l" : ""}${this.xmax[v] < NO_BOUND ? "u" : ""},`;
    }
    const lKey = `${fixed}|${this.objective.extra.map((f) => f.vars.join(".")).join("|")}|${this.extraConstraints.map((f) => f.vars.join(".")).join("|")}|${this.linearConstraints.map((f) => f.vars.join(".")).join("|")}`;
    if (!this.layout || this.layout.key !== lKey) {
      const value = buildLayout(
        {
          model: this.model,
          xmin: this.xmin,
          xmax: this.xmax,
          extraObjective: this.objective.extra,
          extraConstraints: this.extraConstraints,
          linearConstraints: this.linearConstraints,
        },
        this.pattern.value,
        this.varBus,
      );
      this.layout = { key: lKey, value };
    }
    return this.layout.value;
  }

  /**
   * MIPS's starting point (MATPOWER's mipsopf_solver): every angle at the first
   * reference angle, every bounded variable midway between its bounds (1 inside a
   * one-sided bound), z = max(1, −h), μ = 1, γ = 1.
   */
  private coldStart(layout: KktLayout, initial?: Map<number, number>): { p: IpmPoint; gamma: number } {
    const model = this.model;
    const x = new Float64Array(model.nx);
    for (let v = 0; v < model.nx; v++) x[v] = startValue(this.xmin[v], this.xmax[v]);
    for (const [v, value] of initial ?? []) {
      const lo = this.xmin[v];
      const hi = this.xmax[v];
      const margin = Number.isFinite(hi - lo) ? 1e-3 * (hi - lo) : 0;
      if (lo < hi) x[v] = Math.min(hi - margin, Math.max(lo + margin, value));
    }
    const refVa = this.xmin[model.iVa + model.refBuses[0]];
    for (let i = 0; i < model.nb; i++) if (layout.free[model.iVa + i]) x[model.iVa + i] = refVa;
    for (const c of model.costs) {
      if (c.model !== 1) continue;
      let top = -Infinity;
      for (let s = 0; s + 1 < c.pwX.length; s++) {
        const m = (c.pwY[s + 1] - c.pwY[s]) / (c.pwX[s + 1] - c.pwX[s]);
        top = Math.max(top, m * (model.baseMVA * x[c.variable] - c.pwX[s]) + c.pwY[s]);
      }
      x[c.yVariable] = top + 0.1 * Math.abs(top) + 1;
    }
    const p: IpmPoint = {
      x,
      lam: new Float64Array(2 * model.nb),
      mu: new Float64Array(layout.nRows).fill(1),
      z: new Float64Array(layout.nRows).fill(1),
    };
    return { p, gamma: 1 };
  }

  /**
   * Start from a neighbouring solution: its x (clipped into the current bounds) and
   * λ; its μ and z where the row set is the same, pushed off zero to a barrier γ0 of
   * 1e-3 of the last complementarity, else z = max(−h, 1e-2), μ = γ0/z.
   */
  private warmPoint(layout: KktLayout, sys: KktSystem, warm: OpfWarmStart): { p: IpmPoint; gamma: number } {
    const model = this.model;
    if (warm.x.length !== model.nx || warm.lam.length !== 2 * model.nb) throw new RangeError("warm start from a different OPF model");
    const x = new Float64Array(model.nx);
    for (let v = 0; v < model.nx; v++) {
      const lo = this.xmin[v];
      const hi = this.xmax[v];
      if (lo === hi) x[v] = lo;
      else {
        // Keep a margin inside finite bounds so that slacks start positive.
        const margin = Number.isFinite(hi - lo) ? 1e-4 * (hi - lo) : 1e-4;
        x[v] = Math.min(hi - margin, Math.max(lo + margin, warm.x[v]));
      }
    }
    const p: IpmPoint = { x, lam: warm.lam.slice(), mu: new Float64Array(layout.nRows), z: new Float64Array(layout.nRows) };
    sys.evaluate({ ...p, mu: p.mu.fill(0), z: p.z.fill(1) }, 0);
    const same = warm.rowKey === layout.key && warm.mu.length === layout.nRows;
    const gamma = 1e-4;
    for (let j = 0; j < layout.nRows; j++) {
      const zj = Math.max(-sys.h[j], same ? warm.z[j] : 0, 1e-3);
      p.z[j] = zj;
      p.mu[j] = Math.max(same ? warm.mu[j] : 0, gamma / zj);
    }
    return { p, gamma };
  }
}

function startValue(lo: number, hi: number): number {
  if (lo === hi) return lo;
  const l = lo > -NO_BOUND;
  const u = hi < NO_BOUND;
  if (l && u) return (lo + hi) / 2;
  if (u) return hi - 1;
  if (l) return lo + 1;
  return 0;
}
