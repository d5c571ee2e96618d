import type { Network } from "../grid/types";
import { AcOpf, type LocalFunction, type OpfSolution } from "../opf";
import { ExactRegionSolver, regionNetwork, UNIT_COST } from "../regions/exact-solver";
import type { RegionProblem } from "../regions/units";

/**
 * The DSO's post-coordination (paper 000 section IV-B, paper 002): with the PCC held at the
 * TSO's set-point — exchange (p, q) and, for PQV, the voltage v; PQ regions keep the feeder's
 * own PCC voltage — the units are dispatched at least cost by the local AC-OPF. When no
 * dispatch meets every limit, the set-point lies outside the feeder's real region: the
 * dispatch is then the one closest to the limits (units, voltages and branches may exceed
 * them; each excess is penalized quadratically, heavily against the cost), and the excesses
 * are what is reported, as in the paper's Fig. 3.
 */
export interface Violation {
  kind: "voltage" | "p" | "q" | "branch";
  element: string;
  value: number;
  limit: number;
}

export interface ViolationCounts {
  voltage: number;
  p: number;
  q: number;
  branch: number;
}

export interface PostCoordination {
  status: "within-limits" | "violations" | "failed";
  message: string;
  /** The units' injections (MW, MVAr), problem order, and their cost ($/h). */
  unitP: number[];
  unitQ: number[];
  costPerH: number;
  violations: ViolationCounts;
  details: Violation[];
  vmin: number;
  vmax: number;
  /** Per bus of the problem's network (file order). */
  vm: number[];
  /** Exchange and voltage actually held at the PCC. */
  pccPMw: number;
  pccQMvar: number;
  pccVPu: number;
  lossPMw: number;
  solveMs: number;
}

/** Tolerances of the violation check: 1e-4 p.u. voltage, 1 kW / 1 kVAr on units, 1e-4 of a branch rating. */
const VIOLATION_TOL = { vPu: 1e-4, mw: 1e-3, rateShare: 1e-4 };

export interface SetPointInput {
  pMw: number;
  qMvar: number;
  /** PCC voltage; PQ set-points keep the feeder's own (problem.pcc.vmPu). */
  vPu?: number;
}

export function postCoordinate(problem: RegionProblem, setPoint: SetPointInput, solver: ExactRegionSolver = new ExactRegionSolver(problem)): PostCoordination {
  const t0 = performance.now();
  const v = setPoint.vPu ?? problem.pcc.vmPu;
  const out = solver.solve({ kind: "cost", pMw: setPoint.pMw, qMvar: setPoint.qMvar, vPu: v }, null);
  const sol = solver.lastSolution;
  const net = solver.opf.model.network;
  if (out.point && sol) {
    const checked = checkLimits(problem, net, sol);
    return report(problem, net, sol, checked, unitCost(problem, out.point.unitP, out.point.unitQ), t0, "the local AC-OPF dispatches the units within every limit");
  }
  const relaxed = relaxedDispatch(problem, setPoint.pMw, setPoint.qMvar, v);
  if (relaxed.status !== "optimal" && !relaxed.acceptable) {
    return {
      ...emptyReport(setPoint, v),
      status: "failed",
      message: `no power flow holds the PCC at ${setPoint.pMw.toFixed(3)} MW, ${setPoint.qMvar.toFixed(3)} MVAr, ${v.toFixed(4)} p.u.: ${relaxed.message}`,
      solveMs: performance.now() - t0,
    };
  }
  const rnet = regionNetwork(problem);
  const checked = checkLimits(problem, rnet, relaxed);
  const k0 = 1;
  const unitP = problem.units.map((_, k) => relaxed.pgMw[k0 + k]);
  const unitQ = problem.units.map((_, k) => relaxed.qgMvar[k0 + k]);
  const message = checked.length
    ? `the set-point is outside the feeder's region: ${checked.length} limit${checked.length === 1 ? "" : "s"} exceeded by the closest dispatch (local AC-OPF: ${out.message || out.status})`
    : `the set-point is on the region's edge: the closest dispatch meets it within ${VIOLATION_TOL.mw * 1000} kW/kVAr and ${VIOLATION_TOL.vPu} p.u. of every limit (local AC-OPF: ${out.message || out.status})`;
  return report(problem, rnet, relaxed, checked, unitCost(problem, unitP, unitQ), t0, message);
}

function emptyReport(sp: SetPointInput, v: number): PostCoordination {
  return {
    status: "failed",
    message: "",
    unitP: [],
    unitQ: [],
    costPerH: NaN,
    violations: { voltage: 0, p: 0, q: 0, branch: 0 },
    details: [],
    vmin: NaN,
    vmax: NaN,
    vm: [],
    pccPMw: sp.pMw,
    pccQMvar: sp.qMvar,
    pccVPu: v,
    lossPMw: NaN,
    solveMs: 0,
  };
}

function report(problem: RegionProblem, net: Network, sol: OpfSolution, details: Violation[], costPerH: number, t0: number, okMessage: string): PostCoordination {
  const counts: ViolationCounts = { voltage: 0, p: 0, q: 0, branch: 0 };
  for (const d of details) counts[d.kind]++;
  const vm = Array.from(sol.vm);
  const live = vm.filter((x) => Number.isFinite(x));
  return {
    status: details.length === 0 ? "within-limits" : "violations",
    message: okMessage,
    unitP: problem.units.map((_, k) => sol.pgMw[1 + k]),
    unitQ: problem.units.map((_, k) => sol.qgMvar[1 + k]),
    costPerH,
    violations: counts,
    details,
    vmin: Math.min(...live),
    vmax: Math.max(...live),
    vm,
    pccPMw: sol.pgMw[0],
    pccQMvar: sol.qgMvar[0],
    pccVPu: vm[net.buses.findIndex((b) => b.id === problem.pccBus)],
    lossPMw: sol.lossPMw,
    solveMs: performance.now() - t0,
  };
}

/** The units' cost at a dispatch: gencost for P where a unit has one, else the documented deviation costs. */
function unitCost(problem: RegionProblem, unitP: ArrayLike<number>, unitQ: ArrayLike<number>): number {
  let c = 0;
  problem.units.forEach((u, k) => {
    if (u.cost && u.cost.model === 2) c += u.cost.coeffs.reduce((acc, a) => acc * unitP[k] + a, 0);
    else {
      const rp = u.pMaxMw - u.pMinMw;
      if (rp > 0) c += (UNIT_COST.pPerRange * (unitP[k] - u.p0Mw) ** 2) / rp;
    }
    const rq = u.qMaxMvar - u.qMinMvar;
    if (!u.cost && rq > 0) c += (UNIT_COST.qPerRange * (unitQ[k] - u.q0Mvar) ** 2) / rq;
  });
  return c;
}

/** Every limit the dispatch exceeds: bus voltages (the PCC's is the set-point), unit P, Q and charts, branch ratings. */
function checkLimits(problem: RegionProblem, net: Network, sol: OpfSolution): Violation[] {
  const out: Violation[] = [];
  net.buses.forEach((b, i) => {
    if (b.type === "NONE" || b.id === problem.pccBus) return;
    const vm = sol.vm[i];
    if (vm > b.vmaxPu + VIOLATION_TOL.vPu) out.push({ kind: "voltage", element: `bus ${b.id}`, value: vm, limit: b.vmaxPu });
    else if (vm < b.vminPu - VIOLATION_TOL.vPu) out.push({ kind: "voltage", element: `bus ${b.id}`, value: vm, limit: b.vminPu });
  });
  problem.units.forEach((u, k) => {
    const p = sol.pgMw[1 + k];
    const q = sol.qgMvar[1 + k];
    if (p > u.pMaxMw + VIOLATION_TOL.mw) out.push({ kind: "p", element: u.id, value: p, limit: u.pMaxMw });
    else if (p < u.pMinMw - VIOLATION_TOL.mw) out.push({ kind: "p", element: u.id, value: p, limit: u.pMinMw });
    if (q > u.qMaxMvar + VIOLATION_TOL.mw) out.push({ kind: "q", element: u.id, value: q, limit: u.qMaxMvar });
    else if (q < u.qMinMvar - VIOLATION_TOL.mw) out.push({ kind: "q", element: u.id, value: q, limit: u.qMinMvar });
    else {
      const worst = Math.max(-Infinity, ...u.chart.map((h) => (h.a * p + h.b * q - h.c) / Math.hypot(h.a, h.b)));
      if (worst > VIOLATION_TOL.mw) out.push({ kind: "q", element: `${u.id} (PQ chart)`, value: worst, limit: 0 });
    }
  });
  net.branches.forEach((br, l) => {
    if (!br.inService || !(br.rateAMva > 0)) return;
    const s = Math.max(sol.sFromMva[l], sol.sToMva[l]);
    if (s > br.rateAMva * (1 + VIOLATION_TOL.rateShare) + VIOLATION_TOL.mw) out.push({ kind: "branch", element: `branch ${br.id} (${br.from}-${br.to})`, value: s, limit: br.rateAMva });
  });
  return out;
}

/** Penalty weights of the relaxed dispatch: $/h per MW² (units) and per (p.u.)² (voltages). */
const PENALTY = { unitPerMw2: 1e4, voltagePerPu2: 1e7 };

/**
 * The dispatch closest to the limits with the PCC held: units and bus voltages may leave
 * their ranges at a quadratic penalty, branch ratings are dropped (checked afterwards).
 */
function relaxedDispatch(problem: RegionProblem, pMw: number, qMvar: number, vPu: number): OpfSolution {
  const base = regionNetwork(problem);
  const net: Network = {
    ...base,
    buses: base.buses.map((b) => (b.id === problem.pccBus ? { ...b, vminPu: vPu, vmaxPu: vPu } : { ...b, vminPu: 0.5, vmaxPu: 1.5 })),
    branches: base.branches.map((br) => ({ ...br, rateAMva: 0 })),
  };
  const opf = new AcOpf(net, { requireCosts: false });
  const m = opf.model;
  const mb = m.baseMVA;
  const iP = m.iPg + m.genPos[0];
  const iQ = m.iQg + m.genPos[0];
  opf.xmin[iP] = opf.xmax[iP] = pMw / mb;
  opf.xmin[iQ] = opf.xmax[iQ] = qMvar / mb;
  const penalties: LocalFunction[] = [];
  problem.units.forEach((u, k) => {
    const j = m.genPos[1 + k];
    const span = Math.max(1, u.pMaxMw - u.pMinMw, u.qMaxMvar - u.qMinMvar) * 10;
    for (const [v, lo, hi] of [
      [m.iPg + j, u.pMinMw, u.pMaxMw],
      [m.iQg + j, u.qMinMvar, u.qMaxMvar],
    ] as const) {
      opf.xmin[v] = (lo - span) / mb;
      opf.xmax[v] = (hi + span) / mb;
      penalties.push(outside(v, lo / mb, hi / mb, PENALTY.unitPerMw2 * mb * mb, `unit ${u.id}`));
    }
  });
  base.buses.forEach((b, i) => {
    if (b.type === "NONE" || b.id === problem.pccBus) return;
    penalties.push(outside(m.iVm + m.busPos[i], b.vminPu, b.vmaxPu, PENALTY.voltagePerPu2, `bus ${b.id}`));
  });
  // The units' own prices, as in the least-cost dispatch (deviation costs for units without a gencost).
  const vars: number[] = [];
  const weight: number[] = [];
  const centre: number[] = [];
  problem.units.forEach((u, k) => {
    const j = m.genPos[1 + k];
    const rp = (u.pMaxMw - u.pMinMw) / mb;
    const rq = (u.qMaxMvar - u.qMinMvar) / mb;
    if (!u.cost && rp > 0) {
      vars.push(m.iPg + j);
      weight.push((UNIT_COST.pPerRange * mb) / rp);
      centre.push(u.p0Mw / mb);
    }
    if (rq > 0) {
      vars.push(m.iQg + j);
      weight.push(u.cost ? 1e-2 / (rq * rq) : (UNIT_COST.qPerRange * mb) / rq);
      centre.push(u.q0Mvar / mb);
    }
  });
  opf.objective = { genCosts: true, linear: null, extra: penalties, diagonal: { vars: Int32Array.from(vars), weight: Float64Array.from(weight), centre: Float64Array.from(centre) } };
  return opf.solve({ maxIterations: 300 });
}

/** w·(max(0, x − hi)² + max(0, lo − x)²): zero inside [lo, hi], C¹ across its ends. */
function outside(v: number, lo: number, hi: number, w: number, label: string): LocalFunction {
  return {
    vars: Int32Array.of(v),
    label,
    evaluate(x, grad, hess) {
      const e = x[0] > hi ? x[0] - hi : x[0] < lo ? x[0] - lo : 0;
      grad[0] = 2 * w * e;
      hess[0] = e !== 0 ? 2 * w : 0;
      return w * e * e;
    },
  };
}
