import type { IpmPoint, KktSystem } from "./kkt";

/**
 * The primal-dual interior-point iteration of MATPOWER's MIPS (Wang, Murillo-Sánchez,
 * Zimmerman, Thomas, "On computational issues of market-based optimal power flow",
 * IEEE Trans. Power Syst. 22(3), 2007), on min f(x) s.t. g(x) = 0, h(x) + z = 0, z > 0:
 * Newton steps on the perturbed KKT conditions (barrier γ = σ zᵀμ / n_iq, σ = 0.1),
 * fraction-to-boundary steps (ξ = 0.99995) and MIPS's four convergence measures.
 *
 * Beyond MIPS: the KKT matrix is factored with a symmetric block LDLᵀ whose inertia is
 * checked; when the reduced Hessian is not positive definite (non-convexity) or the
 * matrix is singular, δ_x I (and −δ_c I) is added as in IPOPT's inertia correction
 * (Wächter & Biegler 2006, Algorithm IC), and each solve gets iterative refinement.
 */

export type IpmStatus = "converged" | "max_iterations" | "numerical_error";

export interface IpmOptions {
  maxIterations: number;
  feasTol: number;
  gradTol: number;
  compTol: number;
  costTol: number;
  /** Barrier parameter of the first iteration (1 for a cold start, as MIPS). */
  gamma0: number;
  /**
   * Take plain Newton steps once γ < 1e-8 (default true): in a power flow's end game a wrong
   * inertia comes from degenerate limits and correcting it only stalls. With non-convex
   * constraints of the caller's (a PQV polynomial) the inertia is corrected to the end.
   */
  exactNewtonEndgame?: boolean;
  onIteration?: (info: IpmIteration) => void;
}

export interface IpmIteration {
  iteration: number;
  /** Objective in $/h. */
  objective: number;
  feasCond: number;
  gradCond: number;
  compCond: number;
  costCond: number;
  gamma: number;
  alphaPrimal: number;
  alphaDual: number;
  /** δ_x added to the Hessian in this iteration's factorization (0 = none). */
  deltaX: number;
}

/** Why a run stopped without converging. */
export type IpmStop = "none" | "max_iterations" | "step" | "barrier" | "nonfinite" | "kkt";

export interface IpmResult {
  status: IpmStatus;
  stop: IpmStop;
  message: string;
  iterations: number;
  /** Objective in $/h at the final point. */
  objective: number;
  history: IpmIteration[];
  feasCond: number;
  gradCond: number;
  compCond: number;
  /** Largest |g| (p.u.) and its position, for infeasibility messages. */
  maxMismatch: number;
  maxMismatchIndex: number;
}

const XI = 0.99995;
const SIGMA = 0.1;
const ALPHA_MIN = 1e-8;
const EPS = 2.220446049250313e-16;
/** Barrier parameter below which steps skip the inertia correction. */
const GAMMA_EXACT_NEWTON = 1e-8;
/** Refinement stops once the residual is below this share of the right-hand side (or at rounding level). */
const REFINE_REL = 1e-10;

export function runIpm(sys: KktSystem, p: IpmPoint, opts: IpmOptions): IpmResult {
  const layout = sys.layout;
  const ldl = layout.ldl;
  const nx = sys.model.nx;
  const neq = sys.g.length;
  const niq = layout.nRows;
  const dim = ldl.dim;
  const rhs = new Float64Array(dim);
  const sol = new Float64Array(dim);
  const res = new Float64Array(dim);
  const corr = new Float64Array(dim);
  const dx = new Float64Array(nx);
  const dlam = new Float64Array(neq);
  const dz = new Float64Array(niq);
  const dmu = new Float64Array(niq);
  const saved = new Float64Array(ldl.values.length);
  const history: IpmIteration[] = [];
  let gamma = opts.gamma0;
  let lastDelta = 0;

  let f = sys.evaluate(p, gamma);
  let f0 = f;
  let conds = measure(sys, p, f * sys.costScale, f0 * sys.costScale);
  const record = (it: number, ap: number, ad: number, delta: number) => {
    const info: IpmIteration = { iteration: it, objective: f, ...conds, gamma, alphaPrimal: ap, alphaDual: ad, deltaX: delta };
    history.push(info);
    opts.onIteration?.(info);
  };
  record(0, 0, 0, 0);
  const done = (status: IpmStatus, message: string, it: number, stop: IpmStop = "none"): IpmResult => {
    let mm = 0;
    let mi = -1;
    for (let i = 0; i < neq; i++) {
      if (Math.abs(sys.g[i]) > mm) {
        mm = Math.abs(sys.g[i]);
        mi = i;
      }
    }
    return { status, stop, message, iterations: it, objective: f, history, ...conds, maxMismatch: mm, maxMismatchIndex: mi };
  };
  // The dual residual ∇L cannot be resolved below the Newton system's own residual, which
  // for |S|² flow limits with μ/z ≈ 1e7 and gradients of 1e4 sits at 1e-6 (rounding of
  // entries of 1e15). A ∇L within 10× of that floor (and at most 100× gradTol) counts.
  let gradFloor = 0;
  const converged = () =>
    conds.feasCond < opts.feasTol && conds.gradCond < Math.max(opts.gradTol, Math.min(100 * opts.gradTol, 10 * gradFloor)) && conds.compCond < opts.compTol && conds.costCond < opts.costTol;
  const convergedMessage = () => (conds.gradCond < opts.gradTol ? "converged" : `converged (dual residual ${conds.gradCond.toExponential(1)}: the Newton system's rounding level)`);
  if (converged()) return done("converged", convergedMessage(), 0);

  for (let it = 1; it <= opts.maxIterations; it++) {
    newtonRightHandSide(sys, rhs);
    saved.set(ldl.values);
    const gammaForInertia = opts.exactNewtonEndgame === false ? Infinity : gamma;
    let delta = factorWithInertiaCorrection(sys, saved, lastDelta, false, gammaForInertia);
    if (delta !== null && solveRefined(sys, rhs, sol, res, corr) > 1e-9) {
      // An inaccurate solve means a (nearly) singular KKT matrix: regularize the multipliers' block.
      delta = factorWithInertiaCorrection(sys, saved, lastDelta, true, gammaForInertia);
      if (delta !== null && solveRefined(sys, rhs, sol, res, corr) > 1e-9) delta = null;
    }
    let resInf = 0;
    for (let v = 0; v < nx; v++) if (layout.kktOfVar[v] >= 0) resInf = Math.max(resInf, Math.abs(res[layout.kktOfVar[v]]));
    if (delta === null) {
      const why = Number.isFinite(f) ? "the KKT matrix stayed singular or of wrong inertia after regularization" : "the objective is not finite";
      return done("numerical_error", why, it - 1, Number.isFinite(f) ? "kkt" : "nonfinite");
    }
    if (delta > 0) lastDelta = delta;
    unpackNewtonStep(sys, sol, dx, dlam);
    inequalityStep(sys, p, dx, gamma, dz, dmu);
    const ap = fractionToBoundary(p.z, dz);
    const ad = fractionToBoundary(p.mu, dmu);
    takeStep(p, ap, ad, dx, dlam, dz, dmu);
    if (niq > 0) gamma = (SIGMA * dot(p.z, p.mu)) / niq;
    f0 = f;
    f = sys.evaluate(p, gamma);
    conds = measure(sys, p, f * sys.costScale, f0 * sys.costScale);
    gradFloor = resInf / (1 + Math.max(infNorm(p.lam), infNorm(p.mu)));
    record(it, ap, ad, delta ?? 0);
    if (converged()) return done("converged", convergedMessage(), it);
    if (!Number.isFinite(f) || hasNaN(p.x)) return done("numerical_error", "the iterate is no longer finite", it, "nonfinite");
    if (ap < ALPHA_MIN || ad < ALPHA_MIN) {
      return done("numerical_error", `the step length fell to ${Math.min(ap, ad).toExponential(1)}`, it, "step");
    }
    if (gamma < EPS || gamma > 1 / EPS) {
      return done("numerical_error", `the barrier parameter left its range (${gamma.toExponential(1)})`, it, "barrier");
    }
  }
  return done("max_iterations", `no convergence in ${opts.maxIterations} iterations`, opts.maxIterations, "max_iterations");
}

/** Right-hand side [−N; −g] of the Newton system, in KKT unknown order. */
function newtonRightHandSide(sys: KktSystem, rhs: Float64Array): void {
  const layout = sys.layout;
  for (let v = 0; v < sys.model.nx; v++) {
    const u = layout.kktOfVar[v];
    if (u >= 0) rhs[u] = -sys.n[v];
  }
  for (let i = 0; i < sys.g.length / 2; i++) {
    rhs[layout.kktOfLamP[i]] = -sys.g[2 * i];
    rhs[layout.kktOfLamQ[i]] = -sys.g[2 * i + 1];
  }
}

/** dx and dλ out of the Newton system's solution (0 for variables not in the KKT system). */
function unpackNewtonStep(sys: KktSystem, sol: Float64Array, dx: Float64Array, dlam: Float64Array): void {
  const layout = sys.layout;
  for (let v = 0; v < dx.length; v++) {
    const u = layout.kktOfVar[v];
    dx[v] = u >= 0 ? sol[u] : 0;
  }
  for (let i = 0; i < sys.g.length / 2; i++) {
    dlam[2 * i] = sol[layout.kktOfLamP[i]];
    dlam[2 * i + 1] = sol[layout.kktOfLamQ[i]];
  }
}

/** dz = −h − z − ∇hᵀ dx,  dμ = −μ + (γ − μ dz)/z */
function inequalityStep(sys: KktSystem, p: IpmPoint, dx: Float64Array, gamma: number, dz: Float64Array, dmu: Float64Array): void {
  const { rowPtr, rowVar, rowGrad } = sys.layout;
  for (let j = 0; j < dz.length; j++) {
    let s = 0;
    for (let a = rowPtr[j]; a < rowPtr[j + 1]; a++) s += rowGrad[a] * dx[rowVar[a]];
    dz[j] = -sys.h[j] - p.z[j] - s;
    dmu[j] = -p.mu[j] + (gamma - p.mu[j] * dz[j]) / p.z[j];
  }
}

/** Longest step α ≤ 1 that keeps v + α dv above (1 − ξ) v (fraction to the boundary). */
function fractionToBoundary(v: Float64Array, dv: Float64Array): number {
  let alpha = 1;
  for (let j = 0; j < dv.length; j++) if (dv[j] < 0) alpha = Math.min(alpha, (XI * v[j]) / -dv[j]);
  return alpha;
}

/** x, z += αp (dx, dz); μ, λ += αd (dμ, dλ). */
function takeStep(p: IpmPoint, ap: number, ad: number, dx: Float64Array, dlam: Float64Array, dz: Float64Array, dmu: Float64Array): void {
  for (let v = 0; v < dx.length; v++) p.x[v] += ap * dx[v];
  for (let j = 0; j < dz.length; j++) {
    p.z[j] += ap * dz[j];
    p.mu[j] += ad * dmu[j];
  }
  for (let i = 0; i < dlam.length; i++) p.lam[i] += ad * dlam[i];
}

/** MIPS's convergence measures at the current point (scaled objective). */
function measure(sys: KktSystem, p: IpmPoint, fs: number, f0s: number) {
  const { layout, g, h, lx } = sys;
  let gInf = 0;
  for (let i = 0; i < g.length; i++) gInf = Math.max(gInf, Math.abs(g[i]));
  let hMax = -Infinity;
  for (let j = 0; j < h.length; j++) hMax = Math.max(hMax, h[j]);
  const xInf = infNorm(p.x);
  const zInf = infNorm(p.z);
  let lxInf = 0;
  for (let v = 0; v < lx.length; v++) if (layout.free[v]) lxInf = Math.max(lxInf, Math.abs(lx[v]));
  const zmu = dot(p.z, p.mu);
  return {
    feasCond: Math.max(gInf, hMax) / (1 + Math.max(xInf, zInf)),
    gradCond: lxInf / (1 + Math.max(infNorm(p.lam), infNorm(p.mu))),
    compCond: zmu / (1 + xInf),
    costCond: Math.abs(fs - f0s) / (1 + Math.abs(f0s)),
  };
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function hasNaN(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) return true;
  return false;
}

/**
 * Factor the assembled KKT matrix; if its inertia is not (n_free, n_eq, 0), add δ_x to
 * the primal diagonal (and −δ_c to the multipliers' when pivots vanish) and retry.
 * Returns the δ_x used (0 when none was needed) or null when no δ ≤ 1e40 helps.
 */
function factorWithInertiaCorrection(sys: KktSystem, saved: Float64Array, lastDelta: number, regularize: boolean, gamma: number): number | null {
  const layout = sys.layout;
  const ldl = layout.ldl;
  const wantPos = layout.nFree;
  const wantNeg = sys.g.length;
  let deltaC = regularize ? 1e-8 : 0;
  if (regularize) {
    ldl.values.set(saved);
    for (let k = 0; k < layout.diagOfLam.length; k++) ldl.values[layout.diagOfLam[k]] -= deltaC;
  }
  let inertia = ldl.factor();
  // Near convergence (γ small) the Newton step is taken as MIPS takes it: a wrong inertia
  // there comes from degenerate constraints, and regularizing it only stalls the end game.
  if (inertia.zero === 0 && ((inertia.positive === wantPos && inertia.negative === wantNeg) || gamma < GAMMA_EXACT_NEWTON)) return 0;
  if (inertia.zero > 0) deltaC = 1e-8;
  let delta = lastDelta === 0 ? 1e-4 : Math.max(1e-20, lastDelta / 3);
  const grow = lastDelta === 0 ? 100 : 8;
  for (let attempt = 0; attempt < 60 && delta <= 1e40; attempt++) {
    ldl.values.set(saved);
    const v = ldl.values;
    for (let k = 0; k < layout.diagOfVar.length; k++) if (layout.diagOfVar[k] >= 0) v[layout.diagOfVar[k]] += delta;
    if (deltaC > 0) for (let k = 0; k < layout.diagOfLam.length; k++) v[layout.diagOfLam[k]] -= deltaC;
    inertia = ldl.factor();
    if (inertia.zero === 0 && inertia.positive === wantPos && inertia.negative === wantNeg) return delta;
    if (inertia.zero > 0 && deltaC === 0) deltaC = 1e-8;
    delta *= grow;
  }
  return null;
}

/**
 * Solve with up to three steps of iterative refinement against the assembled matrix;
 * returns the final normwise backward error ‖r‖∞ / (max|K| ‖x‖∞ + ‖b‖∞) (NaN counts
 * as failure).
 */
function solveRefined(sys: KktSystem, rhs: Float64Array, sol: Float64Array, res: Float64Array, corr: Float64Array): number {
  const ldl = sys.layout.ldl;
  ldl.solve(rhs, sol);
  const bInf = infNorm(rhs);
  let rel = Infinity;
  let lastR = Infinity;
  for (let step = 0; step <= 3; step++) {
    ldl.multiplyAssembled(sol, res);
    let rInf = 0;
    for (let i = 0; i < res.length; i++) {
      res[i] = rhs[i] - res[i];
      const a = Math.abs(res[i]);
      rInf = a > rInf || Number.isNaN(a) ? a : rInf;
    }
    rel = rInf / (ldl.assembledMax * infNorm(sol) + bInf + Number.MIN_VALUE);
    // Refine while the residual is above rounding of the right-hand side (the dual
    // residual ∇L only converges if the steps solve the system to that accuracy) and
    // refinement still halves it; a backward error at rounding level cannot improve.
    if (!(rInf > Math.max(1e-14 * (1 + bInf), REFINE_REL * bInf)) || rel < 4e-16 || !(rInf < 0.5 * lastR) || step === 3) break;
    lastR = rInf;
    ldl.solve(res, corr);
    for (let i = 0; i < sol.length; i++) sol[i] += corr[i];
  }
  return Number.isNaN(rel) ? Infinity : rel;
}
