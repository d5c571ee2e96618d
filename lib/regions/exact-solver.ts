import type { Generator, Network } from "../grid/types";
import { AcOpf, type LinearConstraint, type LocalFunction, type OpfSolution, type OpfWarmStart } from "../opf";
import type { RegionProblem } from "./units";

/** Where the exchange is normalized: ũ = (u − centre) / scale, componentwise (MW, MVAr). */
export interface Frame {
  centre: [number, number];
  scale: [number, number];
}

/** One AC-OPF of the exact region: a direction to push the exchange, or an ε-constraint on p. */
export type RegionTask =
  | { kind: "direction"; theta: number; frame: Frame }
  | { kind: "epsilon"; pMw: number; sense: "max" | "min"; frame: Frame };

/** What limits a boundary point (for the constraint curves of the chart). */
export type LimitKind = "voltage" | "unit-p" | "unit-q" | "unit-chart" | "pcc-p" | "pcc-q" | "branch" | "other";

export interface BoundaryPoint {
  pMw: number;
  qMvar: number;
  /** Injection of every unit that realises the point (MW, MVAr; generation positive), in the problem's unit order. */
  unitP: Float64Array;
  unitQ: Float64Array;
  task: RegionTask;
  /** Binding limits at the point, by kind (most expensive first). */
  limits: LimitKind[];
}

export interface TaskOutcome {
  task: RegionTask;
  point: BoundaryPoint | null;
  status: OpfSolution["status"];
  message: string;
  iterations: number;
  /** AC-OPF solves spent (retries included). */
  solves: number;
}

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
 * The OPF behind the exact region (paper 000 eq. 8c's U, traced as 3FlexAnalyser does):
 * the feeder with its units as generators, the PCC generator's P and Q as the exchange
 * (bounded by its limits), the PCC voltage fixed, unit PQ charts as linear rows, and as
 * objective a linear function of the exchange. One instance per worker, warm-started from
 * its last solution.
 */
export class ExactRegionSolver {
  readonly opf: AcOpf;
  private readonly iP: number;
  private readonly iQ: number;
  private readonly unitP: number[];
  private readonly unitQ: number[];
  private readonly baseMVA: number;
  private readonly pMin: number;
  private readonly pMax: number;
  private lastWarm: OpfWarmStart | null = null;
  solves = 0;
  iterations = 0;

  constructor(readonly problem: RegionProblem) {
    const net = regionNetwork(problem);
    this.opf = new AcOpf(net, { requireCosts: false });
    const m = this.opf.model;
    this.baseMVA = m.baseMVA;
    this.iP = m.iPg + m.genPos[0];
    this.iQ = m.iQg + m.genPos[0];
    this.unitP = problem.units.map((_, k) => m.iPg + m.genPos[k + 1]);
    this.unitQ = problem.units.map((_, k) => m.iQg + m.genPos[k + 1]);
    const pccPos = m.busPos[net.buses.findIndex((b) => b.id === problem.pccBus)];
    this.opf.xmin[m.iVm + pccPos] = problem.pcc.vmPu;
    this.opf.xmax[m.iVm + pccPos] = problem.pcc.vmPu;
    this.pMin = this.opf.xmin[this.iP];
    this.pMax = this.opf.xmax[this.iP];
    this.opf.objective = { genCosts: false, linear: new Float64Array(m.nx), extra: [], diagonal: dispatchRegularization(problem, this.unitP, this.unitQ, this.baseMVA) };
    this.opf.linearConstraints = chartRows(problem, this.unitP, this.unitQ, this.baseMVA);
  }

  /**
   * Solve one task, warm-started from the previous solve of this instance. When the
   * interior point stalls (a warm start from a far neighbour, or a degenerate optimum where
   * MIPS's dual steps jam), it retries from MIPS's cold start, then with the direction
   * turned by ±0.01 rad (or p moved by ±0.1 % of its scale): any nearby boundary point
   * serves, and the point keeps the task that found it.
   */
  solve(task: RegionTask, warm: OpfWarmStart | null = this.lastWarm): TaskOutcome {
    let out = this.attempt(task, warm);
    if (out.status === "optimal") return out;
    const total = { iterations: out.iterations, solves: 1 };
    const variants: RegionTask[] = [task];
    if (task.kind === "direction") variants.push({ ...task, theta: task.theta + 0.01 }, { ...task, theta: task.theta - 0.01 });
    else variants.push({ ...task, pMw: task.pMw + 1e-3 * task.frame.scale[0] }, { ...task, pMw: task.pMw - 1e-3 * task.frame.scale[0] });
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

  private attempt(task: RegionTask, warm: OpfWarmStart | null): TaskOutcome {
    const lin = this.opf.objective.linear!;
    lin.fill(0);
    this.opf.xmin[this.iP] = this.pMin;
    this.opf.xmax[this.iP] = this.pMax;
    const w = OBJECTIVE_WEIGHT * this.baseMVA;
    const { scale } = task.frame;
    if (task.kind === "direction") {
      // maximize cos θ · p̃ + sin θ · q̃  ⇔  minimize its negative (plus the proximal term).
      lin[this.iP] = (-w * Math.cos(task.theta)) / scale[0];
      lin[this.iQ] = (-w * Math.sin(task.theta)) / scale[1];
    } else {
      const p = task.pMw / this.baseMVA;
      this.opf.xmin[this.iP] = p;
      this.opf.xmax[this.iP] = p;
      lin[this.iQ] = (task.sense === "max" ? -w : w) / scale[1];
    }
    this.opf.objective.extra = [this.proximal(task.frame)];
    const s = this.opf.solve(warm ? { warmStart: warm } : {});
    this.solves++;
    this.iterations += s.iterations;
    // A point the interior point left feasible and complementary, with a small dual
    // residual, is a boundary point too (at most slightly inside): accept it.
    const usable = s.status === "optimal" || s.acceptable;
    if (usable) this.lastWarm = s.warmStart;
    return { task, point: usable ? this.point(task, s) : null, status: usable ? "optimal" : s.status, message: s.message, iterations: s.iterations, solves: 1 };
  }

  /** ρ‖ũ‖² in the objective's units, on the PCC generator's P and Q (p.u. variables). */
  private proximal(frame: Frame): LocalFunction {
    const b = this.baseMVA;
    const k = OBJECTIVE_WEIGHT * PROXIMAL;
    const [pc, qc] = frame.centre;
    const [sp, sq] = frame.scale;
    return {
      vars: Int32Array.of(this.iP, this.iQ),
      label: "proximal",
      evaluate(x, grad, hess) {
        const dp = (x[0] * b - pc) / sp;
        const dq = (x[1] * b - qc) / sq;
        grad[0] = (2 * k * dp * b) / sp;
        grad[1] = (2 * k * dq * b) / sq;
        hess[0] = (2 * k * b * b) / (sp * sp);
        hess[1] = 0;
        hess[2] = (2 * k * b * b) / (sq * sq);
        return k * (dp * dp + dq * dq);
      },
    };
  }

  private point(task: RegionTask, s: OpfSolution): BoundaryPoint {
    const b = this.baseMVA;
    const x = s.x;
    const unitP = Float64Array.from(this.unitP, (v) => x[v] * b);
    const unitQ = Float64Array.from(this.unitQ, (v) => x[v] * b);
    const m = this.opf.model;
    const limits: LimitKind[] = [];
    for (const c of [...s.binding].sort((p, q) => q.multiplier - p.multiplier)) {
      let kind: LimitKind = "other";
      if (c.kind === "vmax" || c.kind === "vmin") kind = "voltage";
      else if (c.kind === "flow" || c.kind === "angle") kind = "branch";
      else if (c.kind === "extra") kind = "unit-chart";
      else if (c.kind === "pmax" || c.kind === "pmin" || c.kind === "qmax" || c.kind === "qmin") {
        const isPcc = c.element === m.network.generators[0].id;
        kind = isPcc ? (c.kind[0] === "p" ? "pcc-p" : "pcc-q") : c.kind[0] === "p" ? "unit-p" : "unit-q";
      }
      if (!limits.includes(kind)) limits.push(kind);
    }
    return { pMw: x[this.iP] * b, qMvar: x[this.iQ] * b, unitP, unitQ, task, limits };
  }
}

function dispatchRegularization(problem: RegionProblem, unitP: number[], unitQ: number[], base: number) {
  const vars: number[] = [];
  const weight: number[] = [];
  const centre: number[] = [];
  const w = OBJECTIVE_WEIGHT * DISPATCH_REGULARIZATION;
  problem.units.forEach((u, k) => {
    for (const [v, lo, hi, x0] of [
      [unitP[k], u.pMinMw, u.pMaxMw, u.p0Mw],
      [unitQ[k], u.qMinMvar, u.qMaxMvar, u.q0Mvar],
    ] as const) {
      const range = (hi - lo) / base;
      if (!(range > 0)) continue;
      vars.push(v);
      weight.push(w / (range * range));
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
  }));
  const rest = net.generators.filter((g) => g !== pccGen);
  // Generators that are not units keep their scheduled output: fixed P and Q.
  const fixed = rest.map((g) => ({ ...g, pminMw: g.pgMw, pmaxMw: g.pgMw, qminMvar: g.qgMvar, qmaxMvar: g.qgMvar }));
  const pcc = problem.pcc;
  return { ...net, generators: [{ ...pccGen, pminMw: pcc.pMinMw, pmaxMw: pcc.pMaxMw, qminMvar: pcc.qMinMvar, qmaxMvar: pcc.qMaxMvar }, ...unitGens, ...fixed] };
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
