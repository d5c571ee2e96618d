import type { Generator, Network } from "../grid/types";
import { AcOpf, type LinearConstraint, type LocalFunction, type OpfObjective, type OpfSolution, type OpfWarmStart } from "../opf";
import type { BoundaryPoint, Frame, LimitKind, RegionTask, TaskOutcome } from "./task";
import type { RegionProblem } from "./units";

export { describeTask, type BoundaryPoint, type Frame, type LimitKind, type RegionTask, type TaskOutcome } from "./task";

const OBJECTIVE_WEIGHT = 100;
/**
 * Weight of the proximal term ρ‖ũ‖² added to every boundary objective. A linear objective
 * has a whole edge of optima where the boundary is straight (a unit at its limit), and the
 * interior point stalls on such degenerate optima; with ρ = 0.05 the optimum is unique, and
 * since the linear term's pull (1) exceeds the proximal term's (2ρ‖ũ‖ ≤ 0.2 within the
 * normalized region) the point still lies on the boundary, on the optimal edge.
 */
const PROXIMAL = 0.05;
/**
 * Units at one bus (a building's PV, battery and heat pump) can trade P and Q among
 * themselves at no cost: the split is not unique and the KKT matrix singular along it,
 * which jams the interior point. A weight of 1e-4 of the objective's on each unit's
 * squared deviation from its schedule (normalized by its range) picks the split closest
 * to the schedule; it moves a boundary point by about 1e-4 of the region's size.
 */
const DISPATCH_REGULARIZATION = 1e-4;
/**
 * Documented default unit costs (PQV cost model): moving a unit across its whole P range
 * costs 40 $/h, across its Q range 4 $/h, quadratically in the deviation from its schedule
 * (c = 40·ΔP²/range_P + 4·ΔQ²/range_Q); a generator keeps its own gencost for P and, as in
 * MATPOWER, produces Q at no cost.
 */
export const UNIT_COST = { pPerRange: 40, qPerRange: 4 };

/** Warm starts kept for the nearest-direction choice of sphere tasks. */
const WARM_CACHE = 48;

/**
 * The OPF behind the exact regions (paper 000 eq. 8c's U traced as 3FlexAnalyser does;
 * paper 002's PQV feasible operating region): the feeder with its units as generators, the
 * PCC generator's P and Q as the exchange (bounded by its limits), the PCC voltage fixed
 * (PQ) or free within the problem's range (PQV), unit PQ charts as linear rows, and as
 * objective a linear function of the exchange. One instance per worker, warm-started from
 * its last solution (sphere tasks: from the nearest solved direction).
 */
export class ExactRegionSolver {
  readonly opf: AcOpf;
  private readonly iP: number;
  private readonly iQ: number;
  private readonly iV: number;
  private readonly unitP: number[];
  private readonly unitQ: number[];
  private readonly baseMVA: number;
  private readonly bounds: [number, number][];
  private readonly regularization: NonNullable<OpfObjective["diagonal"]>;
  private readonly costDiagonal: NonNullable<OpfObjective["diagonal"]>;
  private lastWarm: OpfWarmStart | null = null;
  private readonly warmCache: { dir: [number, number, number]; warm: OpfWarmStart }[] = [];
  solves = 0;
  iterations = 0;
  /** The full solution of the last solve (a post-coordination reads voltages and flows from it). */
  lastSolution: OpfSolution | null = null;

  constructor(readonly problem: RegionProblem) {
    const net = regionNetwork(problem);
    this.opf = new AcOpf(net, { requireCosts: false });
    const m = this.opf.model;
    this.baseMVA = m.baseMVA;
    this.iP = m.iPg + m.genPos[0];
    this.iQ = m.iQg + m.genPos[0];
    this.unitP = problem.units.map((_, k) => m.iPg + m.genPos[k + 1]);
    this.unitQ = problem.units.map((_, k) => m.iQg + m.genPos[k + 1]);
    this.iV = m.iVm + m.busPos[net.buses.findIndex((b) => b.id === problem.pccBus)];
    const [vLo, vHi] = problem.vRange ?? [problem.pcc.vmPu, problem.pcc.vmPu];
    this.opf.xmin[this.iV] = vLo;
    this.opf.xmax[this.iV] = vHi;
    this.bounds = [this.iP, this.iQ, this.iV].map((v) => [this.opf.xmin[v], this.opf.xmax[v]]);
    this.regularization = deviationTerms(problem, this.unitP, this.unitQ, this.baseMVA, (range) => (OBJECTIVE_WEIGHT * DISPATCH_REGULARIZATION) / (range * range));
    // A generator pays its gencost for P and nothing for Q (MATPOWER's convention), up to the
    // regularization that keeps the split of Q among several generators unique (≤ 0.01 $/h).
    this.costDiagonal = deviationTerms(problem, this.unitP, this.unitQ, this.baseMVA, (range, isP, unit) =>
      unit.cost ? (OBJECTIVE_WEIGHT * DISPATCH_REGULARIZATION) / (range * range) : ((isP ? UNIT_COST.pPerRange : UNIT_COST.qPerRange) * this.baseMVA) / range,
    );
    this.opf.objective = { genCosts: false, linear: new Float64Array(m.nx), extra: [], diagonal: this.regularization };
    this.opf.linearConstraints = chartRows(problem, this.unitP, this.unitQ, this.baseMVA);
  }

  /**
   * Solve one task, warm-started from the previous solve of this instance. When the
   * interior point stalls (a warm start from a far neighbour, or a degenerate optimum where
   * MIPS's dual steps jam), it retries from MIPS's cold start, then with the direction
   * turned by ±0.01 rad (or p moved by ±0.1 % of its scale): any nearby boundary point
   * serves, and the point keeps the task that found it.
   */
  solve(task: RegionTask, warm: OpfWarmStart | null = this.warmFor(task)): TaskOutcome {
    let out = this.attempt(task, warm);
    if (out.status === "optimal") return out;
    const total = { iterations: out.iterations, solves: 1 };
    const variants: RegionTask[] = [task, ...perturbed(task)];
    for (const v of variants) {
      if (v === task && !warm) continue;
      const again = this.attempt(v, null);
      total.iterations += again.iterations;
      total.solves++;
      if (again.status === "optimal") return { ...again, ...total };
      out = again;
    }
    return { ...out, task, ...total };
  }

  private warmFor(task: RegionTask): OpfWarmStart | null {
    if (task.kind !== "sphere" || this.warmCache.length === 0) return this.lastWarm;
    let best = this.warmCache[0];
    let dot = -Infinity;
    for (const c of this.warmCache) {
      const d = c.dir[0] * task.dir[0] + c.dir[1] * task.dir[1] + c.dir[2] * task.dir[2];
      if (d > dot) {
        dot = d;
        best = c;
      }
    }
    return best.warm;
  }

  private attempt(task: RegionTask, warm: OpfWarmStart | null): TaskOutcome {
    const o = this.opf;
    const lin = o.objective.linear!;
    lin.fill(0);
    [this.iP, this.iQ, this.iV].forEach((v, k) => {
      o.xmin[v] = this.bounds[k][0];
      o.xmax[v] = this.bounds[k][1];
    });
    o.objective.genCosts = false;
    o.objective.diagonal = this.regularization;
    const w = OBJECTIVE_WEIGHT * this.baseMVA;
    const fix = (v: number, value: number) => {
      o.xmin[v] = value;
      o.xmax[v] = value;
    };
    if (task.kind === "direction") {
      // maximize cos θ · p̃ + sin θ · q̃  ⇔  minimize its negative (plus the proximal term).
      lin[this.iP] = (-w * Math.cos(task.theta)) / task.frame.scale[0];
      lin[this.iQ] = (-w * Math.sin(task.theta)) / task.frame.scale[1];
      o.objective.extra = [this.proximal(task.frame)];
    } else if (task.kind === "epsilon") {
      fix(this.iP, task.pMw / this.baseMVA);
      lin[this.iQ] = (task.sense === "max" ? -w : w) / task.frame.scale[1];
      o.objective.extra = [this.proximal(task.frame)];
    } else if (task.kind === "sphere") {
      const [sp, sq, sv] = task.frame.scale;
      lin[this.iP] = (-w * task.dir[0]) / sp;
      lin[this.iQ] = (-w * task.dir[1]) / sq;
      // v is already per unit: its linear term is w/baseMVA per p.u. of the normalized v.
      lin[this.iV] = (-(w / this.baseMVA) * task.dir[2]) / sv;
      o.objective.extra = [this.proximal(task.frame)];
    } else {
      fix(this.iP, task.pMw / this.baseMVA);
      fix(this.iQ, task.qMvar / this.baseMVA);
      fix(this.iV, task.vPu);
      o.objective.genCosts = true;
      o.objective.diagonal = this.costDiagonal;
      o.objective.extra = [];
    }
    const s = o.solve(warm ? { warmStart: warm } : {});
    this.lastSolution = s;
    this.solves++;
    this.iterations += s.iterations;
    // A point the interior point left feasible and complementary, with a small dual
    // residual, is a boundary point too (at most slightly inside): accept it.
    const usable = s.status === "optimal" || s.acceptable;
    if (usable) {
      this.lastWarm = s.warmStart;
      if (task.kind === "sphere") {
        this.warmCache.push({ dir: task.dir, warm: s.warmStart });
        if (this.warmCache.length > WARM_CACHE) this.warmCache.shift();
      }
    }
    return { task, point: usable ? this.point(task, s) : null, status: usable ? "optimal" : s.status, message: s.message, iterations: s.iterations, solves: 1 };
  }

  /** ρ‖ũ‖² in the objective's units, on the PCC's P and Q (and V for 3-D frames). */
  private proximal(frame: Frame): LocalFunction {
    const b = this.baseMVA;
    const k = OBJECTIVE_WEIGHT * PROXIMAL;
    const dims = frame.centre.length;
    // Variables in p.u.: p and q are scaled by baseMVA to MW/MVAr, v is already per unit.
    const unit = [b, b, 1];
    return {
      vars: dims === 3 ? Int32Array.of(this.iP, this.iQ, this.iV) : Int32Array.of(this.iP, this.iQ),
      label: "proximal",
      evaluate(x, grad, hess) {
        let f = 0;
        for (let d = 0; d < dims; d++) {
          const g = unit[d] / frame.scale[d];
          const e = (x[d] * unit[d] - frame.centre[d]) / frame.scale[d];
          f += k * e * e;
          grad[d] = 2 * k * e * g;
          hess[(d * (d + 1)) / 2 + d] = 2 * k * g * g;
        }
        return f;
      },
    };
  }

  private point(task: RegionTask, s: OpfSolution): BoundaryPoint {
    const b = this.baseMVA;
    const x = s.x;
    const unitP = Float64Array.from(this.unitP, (v) => x[v] * b);
    const unitQ = Float64Array.from(this.unitQ, (v) => x[v] * b);
    const m = this.opf.model;
    const pccBus = String(this.problem.pccBus);
    const limits: LimitKind[] = [];
    for (const c of [...s.binding].sort((p, q) => q.multiplier - p.multiplier)) {
      let kind: LimitKind = "other";
      if (c.kind === "vmax" || c.kind === "vmin") kind = c.element === pccBus ? "pcc-v" : "voltage";
      else if (c.kind === "flow" || c.kind === "angle") kind = "branch";
      else if (c.kind === "extra") kind = "unit-chart";
      else if (c.kind === "pmax" || c.kind === "pmin" || c.kind === "qmax" || c.kind === "qmin") {
        const isPcc = c.element === m.network.generators[0].id;
        kind = isPcc ? (c.kind[0] === "p" ? "pcc-p" : "pcc-q") : c.kind[0] === "p" ? "unit-p" : "unit-q";
      }
      if (!limits.includes(kind)) limits.push(kind);
    }
    return { pMw: x[this.iP] * b, qMvar: x[this.iQ] * b, vPu: x[this.iV], unitP, unitQ, task, limits, costPerH: task.kind === "cost" ? s.objective : NaN };
  }
}

/** Nearby variants of a task to retry with when its own solve stalls. */
function perturbed(task: RegionTask): RegionTask[] {
  if (task.kind === "direction")
    return [
      { ...task, theta: task.theta + 0.01 },
      { ...task, theta: task.theta - 0.01 },
    ];
  if (task.kind === "epsilon")
    return [
      { ...task, pMw: task.pMw + 1e-3 * task.frame.scale[0] },
      { ...task, pMw: task.pMw - 1e-3 * task.frame.scale[0] },
    ];
  if (task.kind === "sphere") {
    const [a, b, c] = task.dir;
    // Turn by about 0.01 rad about two axes.
    const norm = (v: [number, number, number]) => {
      const l = Math.hypot(...v);
      return v.map((x) => x / l) as [number, number, number];
    };
    return [
      { ...task, dir: norm([a + 0.01 * b, b - 0.01 * a, c]) },
      { ...task, dir: norm([a, b + 0.01 * c, c - 0.01 * b]) },
    ];
  }
  return [];
}

/** Separable quadratic terms on every unit's P and Q about its schedule, weighted by weight(range in p.u., isP). */
function deviationTerms(problem: RegionProblem, unitP: number[], unitQ: number[], base: number, weightOf: (range: number, isP: boolean, unit: RegionProblem["units"][number]) => number) {
  const vars: number[] = [];
  const weight: number[] = [];
  const centre: number[] = [];
  problem.units.forEach((u, k) => {
    for (const [v, lo, hi, x0, isP] of [
      [unitP[k], u.pMinMw, u.pMaxMw, u.p0Mw, true],
      [unitQ[k], u.qMinMvar, u.qMaxMvar, u.q0Mvar, false],
    ] as const) {
      const range = (hi - lo) / base;
      if (!(range > 0)) continue;
      // A generator with its own gencost pays that for P instead.
      if (isP && u.cost) continue;
      vars.push(v);
      weight.push(weightOf(range, isP, u));
      centre.push(Math.min(hi, Math.max(lo, x0)) / base);
    }
  });
  return { vars: Int32Array.from(vars), weight: Float64Array.from(weight), centre: Float64Array.from(centre) };
}

/** A boundary point's dispatch as one entry per unit (the CLI's `der`). */
export function boundaryDer(b: BoundaryPoint, units: { id: string; bus: number }[]) {
  return units.map((u, k) => ({ bus: u.bus, pMW: b.unitP[k], qMVAr: b.unitQ[k], id: u.id }));
}

/** The feeder as an OPF network: the PCC generator first, then one generator per unit. */
export function regionNetwork(problem: RegionProblem): Network {
  const net = problem.base;
  const pccGen = net.generators.find((g) => g.bus === problem.pccBus && g.inService)!;
  const unitGens: Generator[] = problem.units.map((u) => ({
    id: u.id,
    bus: u.bus,
    pgMw: u.p0Mw,
    qgMvar: u.q0Mvar,
    qmaxMvar: u.qMaxMvar,
    qminMvar: u.qMinMvar,
    vgPu: 1,
    mBase: net.baseMVA,
    inService: true,
    pmaxMw: u.pMaxMw,
    pminMw: u.pMinMw,
    cost: u.cost,
  }));
  const rest = net.generators.filter((g) => g !== pccGen);
  // Generators that are not units keep their scheduled output: fixed P and Q.
  const fixed = rest.map((g) => ({ ...g, pminMw: g.pgMw, pmaxMw: g.pgMw, qminMvar: g.qgMvar, qmaxMvar: g.qgMvar }));
  const pcc = problem.pcc;
  // Only the units are priced: the PCC generator is the exchange, the others are fixed.
  return {
    ...net,
    generators: [
      { ...pccGen, cost: undefined, qCost: undefined, pminMw: pcc.pMinMw, pmaxMw: pcc.pMaxMw, qminMvar: pcc.qMinMvar, qmaxMvar: pcc.qMaxMvar },
      ...unitGens,
      ...fixed.map((g) => ({ ...g, cost: undefined, qCost: undefined })),
    ],
  };
}

/** Each unit's PQ-chart half-planes a·p + b·q ≤ c (MW) as rows on its p.u. variables, normalized. */
function chartRows(problem: RegionProblem, unitP: number[], unitQ: number[], base: number): LinearConstraint[] {
  const rows: LinearConstraint[] = [];
  problem.units.forEach((u, k) => {
    for (const h of u.chart) {
      const n = Math.hypot(h.a, h.b);
      if (n === 0) continue;
      rows.push({ vars: Int32Array.of(unitP[k], unitQ[k]), coeffs: Float64Array.of((h.a * base) / n, (h.b * base) / n), upper: h.c / n, label: u.id });
    }
  });
  return rows;
}
