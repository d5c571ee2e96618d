import type { PowerFlowSolver, NewtonSolution, Injections, PowerFlowStatus } from "./solver";

const RAD = 180 / Math.PI;

/** AC power flow results in engineering units, arrays in file order. */
export interface PowerFlowResult {
  status: PowerFlowStatus;
  converged: boolean;
  iterations: number;
  maxMismatchPu: number;
  /** A sentence for the user when something is not plainly "converged". */
  message: string;
  baseMVA: number;
  /** Bus numbers in file order (shared with the solver; do not modify). */
  busIds: Int32Array;
  vm: Float64Array;
  vaDeg: Float64Array;
  /** Bus ids cut off from every slack bus (de-energized, voltage 0). */
  islandedBusIds: number[];
  pFromMw: Float64Array;
  qFromMvar: Float64Array;
  pToMw: Float64Array;
  qToMvar: Float64Array;
  /**
   * max(|S_from|, |S_to|) / rateA in %, signed by the direction of P at the from end
   * (negative when active power flows from the to bus); NaN where the branch has no rating.
   */
  loadingPct: Float64Array;
  /** Series losses per branch (I²R, I²X), MW / MVAr. */
  branchLossPMw: Float64Array;
  branchLossQMvar: Float64Array;
  lossPMw: number;
  lossQMvar: number;
  slackPMw: number;
  slackQMvar: number;
  genPMw: Float64Array;
  genQMvar: Float64Array;
  vmMin: number;
  vmMinBusId: number;
  vmMax: number;
  vmMaxBusId: number;
  maxLoadingPct: number | null;
  maxLoadingBranch: number;
  solveMs: number;
}

/** Branch flows, losses and loadings in MW / MVAr / % of rateA (MATPOWER's pfsoln and get_losses). */
function branchFlows(solver: PowerFlowSolver) {
  const pu = solver.pu;
  const base = pu.baseMVA;
  const nl = pu.nl;
  const { vr, vi } = solver.state;
  const y = solver.branchY;
  const pF = new Float64Array(nl);
  const qF = new Float64Array(nl);
  const pT = new Float64Array(nl);
  const qT = new Float64Array(nl);
  const lossP = new Float64Array(nl);
  const lossQ = new Float64Array(nl);
  const loading = new Float64Array(nl).fill(NaN);
  let maxLoading: number | null = null;
  let maxLoadingBranch = -1;
  let totLossP = 0;
  let totLossQ = 0;
  for (let l = 0; l < nl; l++) {
    if (!solver.activeBranch[l]) {
      if (pu.brRate[l] > 0) loading[l] = 0;
      continue;
    }
    const f = pu.brFrom[l];
    const t = pu.brTo[l];
    // I_f = Yff V_f + Yft V_t ; I_t = Ytf V_f + Ytt V_t
    const ifr = y.yffRe[l] * vr[f] - y.yffIm[l] * vi[f] + y.yftRe[l] * vr[t] - y.yftIm[l] * vi[t];
    const ifi = y.yffRe[l] * vi[f] + y.yffIm[l] * vr[f] + y.yftRe[l] * vi[t] + y.yftIm[l] * vr[t];
    const itr = y.ytfRe[l] * vr[f] - y.ytfIm[l] * vi[f] + y.yttRe[l] * vr[t] - y.yttIm[l] * vi[t];
    const iti = y.ytfRe[l] * vi[f] + y.ytfIm[l] * vr[f] + y.yttRe[l] * vi[t] + y.yttIm[l] * vr[t];
    pF[l] = (vr[f] * ifr + vi[f] * ifi) * base;
    qF[l] = (vi[f] * ifr - vr[f] * ifi) * base;
    pT[l] = (vr[t] * itr + vi[t] * iti) * base;
    qT[l] = (vi[t] * itr - vr[t] * iti) * base;
    // Series losses (MATPOWER get_losses): |V_f / t - V_t|^2 / conj(z)
    const tr = solver.tapRe[l];
    const ti = solver.tapIm[l];
    const t2 = tr * tr + ti * ti;
    const dr = (vr[f] * tr + vi[f] * ti) / t2 - vr[t];
    const di = (vi[f] * tr - vr[f] * ti) / t2 - vi[t];
    const mag2 = dr * dr + di * di;
    const r = pu.brR[l];
    const x = pu.brX[l];
    const z2 = r * r + x * x;
    // 1/conj(z) = z / |z|^2
    lossP[l] = ((mag2 * r) / z2) * base;
    lossQ[l] = ((mag2 * x) / z2) * base;
    totLossP += lossP[l];
    totLossQ += lossQ[l];
    const rate = pu.brRate[l];
    if (rate > 0) {
      const sf = Math.sqrt(pF[l] * pF[l] + qF[l] * qF[l]);
      const st = Math.sqrt(pT[l] * pT[l] + qT[l] * qT[l]);
      const mag = (Math.max(sf, st) / (rate * base)) * 100;
      const signed = pF[l] >= 0 ? mag : -mag;
      loading[l] = signed;
      if (maxLoading === null || mag > maxLoading) {
        maxLoading = mag;
        maxLoadingBranch = l;
      }
    }
  }
  return {
    pFromMw: pF,
    qFromMvar: qF,
    pToMw: pT,
    qToMvar: qT,
    loadingPct: loading,
    branchLossPMw: lossP,
    branchLossQMvar: lossQ,
    lossPMw: totLossP,
    lossQMvar: totLossQ,
    maxLoadingPct: maxLoading,
    maxLoadingBranch,
  };
}

/**
 * Generator outputs and the slack's, MW / MVAr: set-points, then the reactive output at
 * voltage-controlled buses and the active output at slack buses from the bus injections
 * S_i = V_i conj(I_i) (the solver's state), split among a bus's generators as MATPOWER does.
 */
function generatorOutputs(solver: PowerFlowSolver, inj: Injections) {
  const pu = solver.pu;
  const base = pu.baseMVA;
  const { vr, vi, ir, ii } = solver.state;
  const injectionP = (i: number) => vr[i] * ir[i] + vi[i] * ii[i];
  const injectionQ = (i: number) => vi[i] * ir[i] - vr[i] * ii[i];
  const genP = new Float64Array(pu.ng);
  const genQ = new Float64Array(pu.ng);
  const pg = inj.genPg ?? pu.genPg;
  const qg = inj.genQg ?? pu.genQg;
  for (let g = 0; g < pu.ng; g++) {
    if (!pu.genStatus[g]) continue;
    genP[g] = pg[g] * base;
    genQ[g] = qg[g] * base;
  }
  // Reactive output at voltage-controlled buses, split as MATPOWER does: equally,
  // then in proportion to each generator's reactive range.
  const byBus = solver.controllingGenerators;
  for (const [b, gens] of byBus) {
    const qTot = (injectionQ(b) + inj.qd[b]) * base;
    if (gens.length === 1) {
      genQ[gens[0]] = qTot;
      continue;
    }
    const big = (v: number) => (Number.isFinite(v) ? v * base : Math.sign(v) * 1e10);
    const qmin = gens.map((g) => big(pu.genQmin[g]));
    const qmax = gens.map((g) => big(pu.genQmax[g]));
    const sumMin = qmin.reduce((s, v) => s + v, 0);
    const sumMax = qmax.reduce((s, v) => s + v, 0);
    if (Math.abs(sumMax - sumMin) < 10 * Number.EPSILON) {
      gens.forEach((g) => (genQ[g] = qTot / gens.length));
    } else {
      gens.forEach((g, k) => {
        genQ[g] = qmin[k] + ((qTot - sumMin) / (sumMax - sumMin + Number.EPSILON)) * (qmax[k] - qmin[k]);
      });
    }
  }
  let slackP = 0;
  let slackQ = 0;
  for (const b of solver.ref) {
    const pTot = (injectionP(b) + inj.pd[b]) * base;
    const gens = byBus.get(b) ?? [];
    if (gens.length) {
      let others = 0;
      for (let k = 1; k < gens.length; k++) others += genP[gens[k]];
      genP[gens[0]] = pTot - others;
    }
    slackP += pTot;
    slackQ += (injectionQ(b) + inj.qd[b]) * base;
  }
  return { genPMw: genP, genQMvar: genQ, slackPMw: slackP, slackQMvar: slackQ };
}

/** Lowest and highest voltage magnitude over the energized buses, with their bus ids (-1 when none). */
function voltageExtremes(solver: PowerFlowSolver, vm: Float64Array) {
  let vmMin = Infinity;
  let vmMax = -Infinity;
  let vmMinBus = -1;
  let vmMaxBus = -1;
  for (let i = 0; i < solver.pu.nb; i++) {
    if (!solver.energized[i]) continue;
    if (vm[i] < vmMin) {
      vmMin = vm[i];
      vmMinBus = i;
    }
    if (vm[i] > vmMax) {
      vmMax = vm[i];
      vmMaxBus = i;
    }
  }
  const id = (i: number) => (i >= 0 ? solver.pu.busIds[i] : -1);
  return { vmMin, vmMinBusId: id(vmMinBus), vmMax, vmMaxBusId: id(vmMaxBus) };
}

/** The sentence for the user: the status, and any de-energized buses with the load they leave unserved. */
function resultMessage(solver: PowerFlowSolver, sol: NewtonSolution, inj: Injections, islandedBusIds: number[]): string {
  let message = sol.status === "converged" ? "converged" : describeStatus(sol);
  if (islandedBusIds.length) {
    const lost = solver.islandedBuses.reduce((s, i) => s + inj.pd[i], 0) * solver.pu.baseMVA;
    message += `; ${islandedBusIds.length} bus(es) not connected to a slack bus are de-energized (${lost.toFixed(3)} MW of load unserved): ${islandedBusIds.slice(0, 10).join(", ")}${islandedBusIds.length > 10 ? ", ..." : ""}`;
  }
  return message;
}

/** Branch flows, losses, slack and generator outputs for a Newton solution (MATPOWER's pfsoln). */
export function computeResults(solver: PowerFlowSolver, sol: NewtonSolution, inj: Injections, solveMs: number): PowerFlowResult {
  const pu = solver.pu;
  const { vm, va } = sol;
  if (!solver.holdsStateOf(sol)) solver.evaluate(vm, va);
  const vaDeg = new Float64Array(pu.nb);
  for (let i = 0; i < pu.nb; i++) vaDeg[i] = va[i] * RAD;
  const islandedBusIds = solver.islandedBuses.map((i) => pu.busIds[i]);
  return {
    status: sol.status,
    converged: sol.status === "converged",
    iterations: sol.iterations,
    maxMismatchPu: sol.maxMismatchPu,
    message: resultMessage(solver, sol, inj, islandedBusIds),
    baseMVA: pu.baseMVA,
    busIds: pu.busIds,
    vm,
    vaDeg,
    islandedBusIds,
    ...branchFlows(solver),
    ...generatorOutputs(solver, inj),
    ...voltageExtremes(solver, vm),
    solveMs,
  };
}

function describeStatus(sol: NewtonSolution): string {
  switch (sol.status) {
    case "max_iterations":
      return `did not converge: largest mismatch ${sol.maxMismatchPu.toExponential(2)} p.u. after ${sol.iterations} Newton iterations`;
    case "diverged":
      return `diverged after ${sol.iterations} Newton iterations (mismatch ${sol.maxMismatchPu.toExponential(2)} p.u.); the loading may be beyond the grid's capability`;
    case "singular":
      return `the Jacobian became singular at iteration ${sol.iterations}; the operating point is at or beyond the voltage stability limit`;
    case "no_slack":
      return "no slack bus with an in-service generator";
    default:
      return sol.status;
  }
}
