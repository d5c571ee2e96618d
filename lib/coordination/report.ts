import type { TaskRunner } from "../regions/exact";
import { writeCsv } from "../util/csv";
import type { RegionProblem } from "../regions/units";
import { solveCentralized, type CentralizedResult } from "./centralized";
import { coordinate, type CoordinationOutcome, type PostRunner } from "./coordinate";
import type { ViolationCounts } from "./post";
import { represent, type Represented } from "./represent";
import type { CoordMethod } from "./representation";
import type { Study } from "./study";
import { genCost } from "./tso-opf";

/**
 * The 29-feeder study as paper 000's Fig. 3 reports it: the centralized reference, then for
 * each region type the TSO's OPF over the regions and every DSO's post-coordination, with
 * cost deviations and the limits violated. PQ methods are compared with the power-coupled
 * reference (paper 000: the feeder's root keeps its voltage), PQV with the voltage-coupled
 * one (paper 002: the PCC voltage is shared) — each against the problem it approximates.
 */
export const COORD_METHODS: CoordMethod[] = ["lds", "slc", "exact", "pqv"];

export interface StudyMethodReport {
  method: CoordMethod;
  status: "optimal" | "failed";
  message: string;
  /** f ($/h): transmission generators at the TSO's solution plus every DER at its post-coordination dispatch. */
  objective: number;
  /** Which centralized reference f* it is compared with. */
  reference: "power" | "voltage";
  costDeviationPct: number;
  violations: ViolationCounts;
  /** TSO solve plus the DSOs' post-coordination solves (summed), ms. */
  solveMs: number;
  tsoSolveMs: number;
  dsoSolveMs: number;
  /** The longest DSO solve: they run at the DSOs in parallel. */
  dsoMaxMs: number;
  /** Region construction (offline), summed over the DSOs, ms. */
  regionMs: number;
  tsoIterations: number;
  /** The largest violation of each kind over all systems: unit P/Q (MW, MVAr), voltage (p.u.), branch (MVA over the rating). */
  worst: { unitMW: number; voltagePu: number; branchMVA: number };
}

export interface StudySystemReport {
  method: CoordMethod;
  tsBus: number;
  case: string;
  pccPMW: number;
  pccQMVAr: number;
  pccVPu: number;
  /** The DSO's DER cost change against the reference, in % of f* (the systems' and the TSO's shares add up to the total deviation). */
  costDeviationPct: number;
  violations: ViolationCounts;
  postStatus: string;
  regionMs: number;
}

export interface CentralizedReport {
  status: string;
  objective: number;
  solveMs: number;
  iterations: number;
  buses: number;
}

export interface StudyReport {
  transmission: string;
  systems: { tsBus: number; case: string; scaleP: number; derPMaxMW: number; derC1: number }[];
  /** The power-coupled reference (paper 000 eq. 7); `centralizedVoltage` is paper 002's. */
  centralized: CentralizedReport;
  centralizedVoltage: CentralizedReport | null;
  methods: StudyMethodReport[];
  distributionSystems: StudySystemReport[];
}

export interface StudyOptions {
  methods: CoordMethod[];
  /** Regions with AC-OPF tasks spread over worker threads (the CLI) or solver workers (the browser). */
  runner?: (problem: RegionProblem) => TaskRunner;
  /** Or all systems' representations at once (e.g. one system per worker thread). */
  representAll?: (study: Study, method: CoordMethod) => Promise<Represented[]>;
  post?: PostRunner;
  /** Representations built beforehand (e.g. cached), by method. */
  represented?: Partial<Record<CoordMethod, Represented[]>>;
  /** PQV: publish the polynomial with its conservative margin (see pqvMargin). */
  pqvMargin?: boolean;
  /** PQV: publish the inner polytope (default true; false: paper 002's polynomial alone). */
  pqvHull?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
}

function centralReport(c: CentralizedResult): CentralizedReport {
  return { status: c.status, objective: c.objective, solveMs: c.solveMs, iterations: c.iterations, buses: c.buses };
}

export async function runStudy(study: Study, opts: StudyOptions): Promise<StudyReport> {
  const progress = opts.onProgress ?? (() => {});
  progress("centralized OPF", 0, 1);
  const power = solveCentralized(study, "power");
  const voltage = opts.methods.includes("pqv") ? solveCentralized(study, "voltage") : null;
  progress("centralized OPF", 1, 1);
  const methods: StudyMethodReport[] = [];
  const rows: StudySystemReport[] = [];
  for (const method of opts.methods) {
    const ref = method === "pqv" ? voltage! : power;
    let reps = opts.represented?.[method];
    if (!reps && opts.representAll) {
      progress(`${method} regions`, 0, study.systems.length);
      reps = await opts.representAll(study, method);
    }
    if (!reps) {
      reps = [];
      for (const [k, s] of study.systems.entries()) {
        progress(`${method} regions`, k, study.systems.length);
        reps.push(await represent(s.net, method, { units: [s.der], runner: opts.runner, pqvMargin: opts.pqvMargin, pqvHull: opts.pqvHull }));
      }
    }
    const regionMs = reps.reduce((sum, r) => sum + r.regionMs, 0);
    progress(`${method} coordination`, 0, 1);
    let out: CoordinationOutcome;
    try {
      out = await coordinate(study, method, reps, opts.post);
    } catch (e) {
      const zero = { voltage: 0, p: 0, q: 0, branch: 0 };
      methods.push({
        method,
        status: "failed",
        message: (e as Error).message,
        objective: NaN,
        reference: ref.coupling,
        costDeviationPct: NaN,
        violations: zero,
        solveMs: NaN,
        tsoSolveMs: NaN,
        dsoSolveMs: NaN,
        dsoMaxMs: NaN,
        regionMs,
        tsoIterations: 0,
        worst: { unitMW: 0, voltagePu: 0, branchMVA: 0 },
      });
      continue;
    }
    progress(`${method} coordination`, 1, 1);
    methods.push({
      method,
      status: "optimal",
      message: out.tso.message,
      objective: out.objective,
      reference: ref.coupling,
      costDeviationPct: (100 * (out.objective - ref.objective)) / ref.objective,
      violations: out.violations,
      solveMs: out.tsoSolveMs + out.dsoSolveMs,
      tsoSolveMs: out.tsoSolveMs,
      dsoSolveMs: out.dsoSolveMs,
      dsoMaxMs: out.dsoMaxMs,
      regionMs,
      tsoIterations: out.tso.iterations,
      worst: worstViolations(out),
    });
    out.systems.forEach((s, k) => {
      const sys = study.systems[k];
      const derCost = sys.der.cost ? genCost(sys.der.cost.coeffs, sys.der.cost.model, ref.systems[k].derPMw) : 0;
      rows.push({
        method,
        tsBus: s.tsBus,
        case: sys.feeder,
        pccPMW: s.pccPMw,
        pccQMVAr: s.pccQMvar,
        pccVPu: s.pccVPu,
        costDeviationPct: (100 * (s.post.costPerH - derCost)) / ref.objective,
        violations: s.post.violations,
        postStatus: s.post.status,
        regionMs: reps![k].regionMs,
      });
    });
  }
  return {
    transmission: study.ts.name,
    systems: study.systems.map((s) => ({ tsBus: s.tsBus, case: s.feeder, scaleP: s.scaleP, derPMaxMW: s.der.pMaxMw, derC1: s.der.cost!.coeffs[1] })),
    centralized: centralReport(power),
    centralizedVoltage: voltage ? centralReport(voltage) : null,
    methods,
    distributionSystems: rows,
  };
}

function worstViolations(out: CoordinationOutcome): StudyMethodReport["worst"] {
  const worst = { unitMW: 0, voltagePu: 0, branchMVA: 0 };
  for (const s of out.systems) {
    for (const d of s.post.details) {
      const over = d.limit === 0 && d.kind === "q" ? d.value : Math.abs(d.value - d.limit);
      if (d.kind === "voltage") worst.voltagePu = Math.max(worst.voltagePu, over);
      else if (d.kind === "branch") worst.branchMVA = Math.max(worst.branchMVA, over);
      else worst.unitMW = Math.max(worst.unitMW, over);
    }
  }
  return worst;
}

/** The report as CSV: one row per method and distribution system, then one total row per method. */
export function studyCsv(r: StudyReport): string {
  const header = ["method", "ts_bus", "case", "pcc_p_mw", "pcc_q_mvar", "pcc_v_pu", "cost_deviation_pct", "violations_voltage", "violations_p", "violations_q", "violations_branch", "post_status"];
  const perSystem = r.distributionSystems.map((d) => {
    const v = d.violations;
    return [d.method, d.tsBus, d.case, d.pccPMW.toFixed(6), d.pccQMVAr.toFixed(6), d.pccVPu.toFixed(6), d.costDeviationPct.toFixed(6), v.voltage, v.p, v.q, v.branch, d.postStatus];
  });
  const totals = r.methods.map((m) => {
    const v = m.violations;
    return [m.method, "total", "", "", "", "", Number.isFinite(m.costDeviationPct) ? m.costDeviationPct.toFixed(6) : "", v.voltage, v.p, v.q, v.branch, m.status];
  });
  return writeCsv(header, [...perSystem, ...totals]);
}
