import type { Network } from "../../grid/types";
import type { TaskRunner } from "../exact";
import type { RegionTask, TaskOutcome } from "../exact-solver";
import { localRunner } from "../local-runner";
import type { RegionProblem } from "../units";
import { fitCost, type CostModel } from "./cost";
import { evalPoly, fit3L, geometricError, type ImplicitFit, type Vec3 } from "./fit";
import { buildPqvProblem, type PqvProblemOptions } from "./problem";
import { innerHullPlanes, type HullPlane } from "./hull";
import { normalized, tracePqvRegion, type PqvTrace } from "./trace";

export { buildPqvProblem, type PqvProblemOptions } from "./problem";
export { fibonacciDirections, type PqvTrace } from "./trace";
export { evalPoly, fit3L } from "./fit";
export { evalCost, toPhysical, type CostModel } from "./cost";
export { parseUnitList } from "./units";

/** The analytic region as published: f(x) = Σ c_n Π ((x_d − centre_d)/scale_d)^e_nd, negative inside. */
export interface PqvPolynomial {
  center: Vec3;
  scale: Vec3;
  exponents: Vec3[];
  coefficients: number[];
  degree: number;
}

export interface PqvRegion {
  problem: RegionProblem;
  trace: PqvTrace;
  polynomial: PqvPolynomial;
  /** Held-out geometric error (normalized units) of each degree tried; the smallest wins. */
  degrees: { degree: number; heldOutError: number; heldOutMax: number }[];
  fit: {
    degree: number;
    heldOutError: number;
    /** Share of AC-OPF-checked samples (feasible inside, infeasible outside) the polynomial classifies right. */
    accuracy: number;
    /** Share of boundary points whose 10 %-inside point has f < 0 and 10 %-outside point f > 0. */
    signAccuracy: number;
    checked: { inside: number; insideFeasible: number; outside: number; outsideInfeasible: number };
  };
  costModel: CostModel;
  /**
   * The inner polytope (hull.ts): planes a·p + b·q + c·v ≤ d, and of the AC-OPF-checked samples
   * inside it, how many the AC-OPF held within every limit.
   */
  hull: { planes: HullPlane[]; checkedInside: number; checkedInsideFeasible: number };
  opfSolves: number;
  computeMs: number;
}

export interface PqvOptions extends PqvProblemOptions {
  directions?: number;
  degrees?: number[];
  runner?: TaskRunner;
  onProgress?: (solved: number, message: string) => void;
}

/**
 * The PQV feasible operating region of a grid (paper 002): boundary points by AC-OPF
 * sampling, an implicit polynomial fitted to them (degree chosen by held-out error), AC-OPF
 * checks of points inside and outside (which also price the inside points with the units'
 * costs), and the quadratic cost model fitted to those prices.
 */
export async function computePqvRegion(net: Network, opts: PqvOptions = {}): Promise<PqvRegion> {
  const t0 = performance.now();
  const problem = buildPqvProblem(net, opts);
  const runner = opts.runner ?? localRunner(problem);
  const trace = await tracePqvRegion(problem, runner, { directions: opts.directions, onProgress: opts.onProgress });
  if (trace.boundary.length < 20) {
    const why = trace.failures[0]?.message ?? "too few boundary points";
    throw new Error(`no PQV region: ${trace.boundary.length} boundary points (${why})`);
  }
  const { poly, degrees } = fitPolynomial(trace, opts.degrees ?? [2, 4, 6]);
  const plan = samplePlan(trace);
  opts.onProgress?.(trace.opfSolves, `pricing and checking ${plan.tasks.length} points`);
  const outcomes = await runner.run(plan.tasks);
  const checks = summarizeSamples(trace, poly, plan, outcomes);
  return {
    problem,
    trace,
    polynomial: poly,
    degrees,
    fit: { degree: poly.degree, heldOutError: degrees.find((d) => d.degree === poly.degree)!.heldOutError, ...checks.fit },
    costModel: checks.cost,
    hull: checks.hull,
    opfSolves: trace.opfSolves + checks.solves,
    computeMs: performance.now() - t0,
  };
}

/** Fit each degree on 4 of 5 points, compare on the fifth, refit the best on all. */
export function fitPolynomial(trace: Pick<PqvTrace, "boundary" | "normals" | "frame">, tried: number[] = [2, 4, 6]) {
  const xs = trace.boundary.map((b) => normalized(b, trace.frame));
  const train = xs.filter((_, i) => i % 5 !== 0);
  const trainN = trace.normals.filter((_, i) => i % 5 !== 0);
  const held = xs.filter((_, i) => i % 5 === 0);
  const degrees = tried.map((degree) => {
    const f = fit3L(train, trainN, degree);
    const errs = held.map((x) => geometricError(f, x));
    return { degree, heldOutError: errs.reduce((s, e) => s + e, 0) / errs.length, heldOutMax: Math.max(...errs) };
  });
  const best = degrees.reduce((a, b) => (b.heldOutError < a.heldOutError ? b : a));
  const f: ImplicitFit = fit3L(xs, trace.normals, best.degree);
  const poly: PqvPolynomial = {
    center: trace.frame.centre as Vec3,
    scale: trace.frame.scale as Vec3,
    exponents: f.exponents,
    coefficients: Array.from(f.coefficients),
    degree: f.degree,
  };
  return { poly, degrees };
}

/** f at a physical (p, q, v). */
export function evalPqvPolynomial(poly: PqvPolynomial, p: number, q: number, v: number): number {
  return evalPoly(poly.coefficients, poly.exponents, [(p - poly.center[0]) / poly.scale[0], (q - poly.center[1]) / poly.scale[1], (v - poly.center[2]) / poly.scale[2]]);
}

/** The checks and prices to run after the fit: AC-OPF cost tasks at points inside and outside. */
export interface SamplePlan {
  tasks: RegionTask[];
  /** Per task: its normalized point and whether it lies inside (10 % or 50 % toward the centroid). */
  samples: { x: Vec3; inside: boolean }[];
  centroid: Vec3;
}

/**
 * Points 10 % toward and away from the centroid of the boundary (normalized frame) for the
 * sign test of the polynomial; about 80 of the inside points and 30 halfway points are
 * priced (least unit cost at that exchange, which also proves them feasible) and about 40
 * outside points checked by AC-OPF.
 */
export function samplePlan(trace: Pick<PqvTrace, "boundary" | "frame">): SamplePlan {
  const frame = trace.frame;
  const xs = trace.boundary.map((b) => normalized(b, frame));
  const c: Vec3 = [0, 1, 2].map((d) => xs.reduce((s, x) => s + x[d], 0) / xs.length) as Vec3;
  const at = (x: Vec3, t: number): Vec3 => [c[0] + t * (x[0] - c[0]), c[1] + t * (x[1] - c[1]), c[2] + t * (x[2] - c[2])];
  const samples: { x: Vec3; inside: boolean }[] = [];
  const stride = (n: number) => Math.max(1, Math.round(xs.length / n));
  const [s1, s2, s3] = [stride(80), stride(30), stride(40)];
  xs.forEach((x, i) => {
    if (i % s1 === 0) samples.push({ x: at(x, 0.9), inside: true });
    if (i % s2 === 1 % s2) samples.push({ x: at(x, 0.5), inside: true });
    if (i % s3 === 2 % s3) samples.push({ x: at(x, 1.1), inside: false });
  });
  // Neighbouring samples one after another (warm starts): by voltage band, then angle in (p, q).
  samples.sort((a, b) => Math.round(a.x[2] * 4) - Math.round(b.x[2] * 4) || Math.atan2(a.x[1], a.x[0]) - Math.atan2(b.x[1], b.x[0]));
  const phys = (x: Vec3) => ({ pMw: frame.centre[0] + x[0] * frame.scale[0], qMvar: frame.centre[1] + x[1] * frame.scale[1], vPu: frame.centre[2] + x[2] * frame.scale[2] });
  return { tasks: samples.map((s) => ({ kind: "cost", ...phys(s.x) }) as RegionTask), samples, centroid: c };
}

/** The sign test, the classification of the AC-checked samples, and the cost model fitted to the priced ones. */
export function summarizeSamples(trace: Pick<PqvTrace, "boundary" | "frame">, poly: PqvPolynomial, plan: SamplePlan, outcomes: TaskOutcome[]) {
  const frame = trace.frame;
  const xs = trace.boundary.map((b) => normalized(b, frame));
  const c = plan.centroid;
  const at = (x: Vec3, t: number): Vec3 => [c[0] + t * (x[0] - c[0]), c[1] + t * (x[1] - c[1]), c[2] + t * (x[2] - c[2])];
  const f = (x: Vec3) => evalPoly(poly.coefficients, poly.exponents, x);
  let signOk = 0;
  for (const x of xs) {
    if (f(at(x, 0.9)) < 0) signOk++;
    if (f(at(x, 1.1)) > 0) signOk++;
  }
  let correct = 0;
  const checked = { inside: 0, insideFeasible: 0, outside: 0, outsideInfeasible: 0 };
  const priced: { p: number; q: number; v: number; cost: number }[] = [];
  outcomes.forEach((o, k) => {
    const feasible = o.point !== null;
    const s = plan.samples[k];
    if (s.inside) {
      checked.inside++;
      if (feasible) checked.insideFeasible++;
    } else {
      checked.outside++;
      if (!feasible) checked.outsideInfeasible++;
    }
    if (f(s.x) < 0 === feasible) correct++;
    if (feasible && o.point) priced.push({ p: o.point.pMw, q: o.point.qMvar, v: o.point.vPu, cost: o.point.costPerH });
  });
  return {
    fit: { accuracy: correct / Math.max(1, outcomes.length), signAccuracy: signOk / (2 * xs.length), checked },
    cost: fitCost(priced, frame.centre as Vec3, frame.scale as Vec3),
    hull: innerHull(trace, plan, outcomes),
    solves: outcomes.reduce((s, o) => s + o.solves, 0),
  };
}

/** The inner polytope, and of the AC-OPF-checked samples inside its planes, how many were feasible. */
function innerHull(trace: Pick<PqvTrace, "boundary" | "frame">, plan: SamplePlan, outcomes: TaskOutcome[]): PqvRegion["hull"] {
  const frame = trace.frame;
  const planes = innerHullPlanes(trace.boundary, frame);
  let checkedInside = 0;
  let checkedInsideFeasible = 0;
  outcomes.forEach((o, k) => {
    const x = plan.samples[k].x;
    const [p, q, v] = [0, 1, 2].map((d) => frame.centre[d] + x[d] * frame.scale[d]);
    if (!planes.length || planes.some((h) => h.a * p + h.b * q + h.c * v > h.d + 1e-9)) return;
    checkedInside++;
    if (o.point) checkedInsideFeasible++;
  });
  return { planes, checkedInside, checkedInsideFeasible };
}

/**
 * What the 3-D view draws of the polynomial: its values on an n³ grid over the box grown by
 * 10 % (an isosurface at 0), and on n² grids of (p, q) at three voltages (slices).
 */
export function polynomialViews(poly: PqvPolynomial, box: { min: Vec3; max: Vec3 }, n = 24) {
  const lo = [0, 1, 2].map((d) => box.min[d] - 0.1 * (box.max[d] - box.min[d]));
  const hi = [0, 1, 2].map((d) => box.max[d] + 0.1 * (box.max[d] - box.min[d]));
  const axis = (d: number, m: number) => Float64Array.from({ length: m }, (_, k) => lo[d] + ((hi[d] - lo[d]) * k) / (m - 1));
  const [ap, aq, av] = [axis(0, n), axis(1, n), axis(2, n)];
  const values = new Float32Array(n * n * n);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) values[k++] = evalPqvPolynomial(poly, ap[i], aq[j], av[l]);
  const m = 2 * n;
  const sp = axis(0, m);
  const sq = axis(1, m);
  const slices = [0.25, 0.5, 0.75].map((t) => {
    const v = box.min[2] + t * (box.max[2] - box.min[2]);
    const z = new Float32Array(m * m);
    for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) z[j * m + i] = evalPqvPolynomial(poly, sp[i], sq[j], v);
    return { vPu: v, z };
  });
  return { grid: { p: ap, q: aq, v: av, values }, slices: { p: sp, q: sq, levels: slices } };
}
