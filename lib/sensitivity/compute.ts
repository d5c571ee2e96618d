import { toPerUnit } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { computeResults, PowerFlowSolver, type PowerFlowResult } from "../powerflow";
import type { FlexLocation, OperatingPointSpec } from "./locations";

/**
 * Piecewise sensitivity matrices of [P004] (eq. 3-8): at each
 * operating point, an AC power flow and the exact derivatives of the monitored bus
 * voltage magnitudes (VTDF, p.u./MW) and signed branch loadings (LTDF, %/MW) with
 * respect to active injection at each flexibility location, from the converged
 * Newton Jacobian J (one factorization per point). With `reactive`, the same for
 * reactive injection (p.u./MVAr, %/MVAr), which [P004] leaves out.
 *
 * For an injection e at location j the state moves by dx = J^-1 e (the mismatch is
 * S_calc - S_spec, so raising S_spec by dP gives J dx = e dP). Either one solve per
 * location (columns) or one transposed solve J^T y = grad g per monitored quantity
 * g (rows) — whichever needs fewer solves.
 */
export interface SensitivityOptions {
  reactive?: boolean;
  /** Monitored bus ids; default: all energized PQ buses. */
  monitoredBuses?: number[];
  /** Monitored branch ids; default: all in-service branches with a rating. */
  monitoredBranches?: string[];
  /**
   * Share less: monitor only buses whose voltage comes within `voltageMarginPu` of
   * the limits, and branches whose |loading| exceeds 100 - `loadingMarginPct` %, at
   * any operating point.
   */
  restrict?: { voltageMarginPu: number; loadingMarginPct: number; vMinPu: number; vMaxPu: number };
  /**
   * Share less, exactly: keep only the elements whose linear prediction at some
   * operating point can come within the margin of a limit anywhere in the box of
   * offered flexibility (every location between its offered down and up). Costs one
   * extra solve per location and point; makes the light model of large grids small.
   */
  screen?: { vMinPu: number; vMaxPu: number; loadingMaxPct: number; marginVPu: number; marginLPct: number };
  /** Force a strategy (tests); default chooses the cheaper. */
  strategy?: "columns" | "rows";
  tol?: number;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface OperatingPointSensitivity {
  id: string;
  label: string;
  converged: boolean;
  message: string;
  pFlexMw: Float64Array;
  qFlexMvar: Float64Array;
  vmMin: number;
  vmMax: number;
  maxLoadingPct: number | null;
  /** Base values at the point: monitored voltages (p.u.) and signed loadings (%). */
  v: Float64Array;
  l: Float64Array;
  /** Row-major [monitored bus][location], p.u./MW. */
  vtdf: Float64Array;
  /** Row-major [monitored branch][location], %/MW. */
  ltdf: Float64Array;
  vtdfQ?: Float64Array;
  ltdfQ?: Float64Array;
  /** The full power flow (DSO side only; never part of the light model). */
  pf: PowerFlowResult;
}

export interface SensitivityModel {
  locations: FlexLocation[];
  /** Monitored bus ids and their indices in the network. */
  monitoredBuses: number[];
  monitoredBranches: string[];
  points: OperatingPointSensitivity[];
  strategy: "columns" | "rows";
  computeMs: number;
}

/** Injections (p.u.) of an operating point on a solver: P_fix from the network, P_flex on top. */
export function operatingPointInjections(solver: PowerFlowSolver, locBus: Int32Array, pFlexMw: ArrayLike<number>, qFlexMvar?: ArrayLike<number>): { pd: Float64Array; qd: Float64Array } {
  const pu = solver.pu;
  const pd = Float64Array.from(pu.pd);
  const qd = Float64Array.from(pu.qd);
  for (let k = 0; k < locBus.length; k++) {
    pd[locBus[k]] -= pFlexMw[k] / pu.baseMVA;
    if (qFlexMvar) qd[locBus[k]] -= qFlexMvar[k] / pu.baseMVA;
  }
  return { pd, qd };
}

/** Signed loading of each branch and which end carries the larger |S| (for derivatives). */
interface LoadingGradient {
  /** d(loading %)/d(theta_f, theta_t, v_f, v_t) per monitored branch, 4 per branch. */
  g: Float64Array;
}

function loadingGradients(solver: PowerFlowSolver, branches: Int32Array, vm: Float64Array, va: Float64Array): LoadingGradient {
  const pu = solver.pu;
  const y = solver.branchY;
  const g = new Float64Array(4 * branches.length);
  for (let m = 0; m < branches.length; m++) {
    const l = branches[m];
    const f = pu.brFrom[l];
    const t = pu.brTo[l];
    const vf = vm[f];
    const vt = vm[t];
    const d = va[f] - va[t];
    const c = Math.cos(d);
    const s = Math.sin(d);
    // S_f = conj(Yff) vf^2 + conj(Yft) vf vt e^{j d} ; S_t = conj(Ytt) vt^2 + conj(Ytf) vf vt e^{-j d}
    const aRe = y.yftRe[l] * c + y.yftIm[l] * s; // conj(Yft) e^{jd}
    const aIm = y.yftRe[l] * s - y.yftIm[l] * c;
    const bRe = y.ytfRe[l] * c - y.ytfIm[l] * s; // conj(Ytf) e^{-jd}
    const bIm = -y.ytfRe[l] * s - y.ytfIm[l] * c;
    const sfRe = y.yffRe[l] * vf * vf + aRe * vf * vt;
    const sfIm = -y.yffIm[l] * vf * vf + aIm * vf * vt;
    const stRe = y.yttRe[l] * vt * vt + bRe * vf * vt;
    const stIm = -y.yttIm[l] * vt * vt + bIm * vf * vt;
    const magF = Math.hypot(sfRe, sfIm);
    const magT = Math.hypot(stRe, stIm);
    const rate = pu.brRate[l];
    const sign = sfRe >= 0 ? 1 : -1;
    // Derivatives of the end with the larger |S| w.r.t. (theta_f, theta_t, v_f, v_t).
    let dRe: number[];
    let dIm: number[];
    let mag: number;
    let pRe: number;
    let pIm: number;
    if (magF >= magT) {
      mag = magF;
      pRe = sfRe;
      pIm = sfIm;
      // dS_f/dtheta_f = j A vf vt, dS_f/dtheta_t = -j A vf vt, dS_f/dvf = 2 conj(Yff) vf + A vt, dS_f/dvt = A vf
      dRe = [-aIm * vf * vt, aIm * vf * vt, 2 * y.yffRe[l] * vf + aRe * vt, aRe * vf];
      dIm = [aRe * vf * vt, -aRe * vf * vt, -2 * y.yffIm[l] * vf + aIm * vt, aIm * vf];
    } else {
      mag = magT;
      pRe = stRe;
      pIm = stIm;
      // S_t depends on -d: dS_t/dtheta_f = -j B vf vt, dS_t/dtheta_t = j B vf vt
      dRe = [bIm * vf * vt, -bIm * vf * vt, bRe * vt, 2 * y.yttRe[l] * vt + bRe * vf];
      dIm = [-bRe * vf * vt, bRe * vf * vt, bIm * vt, -2 * y.yttIm[l] * vt + bIm * vf];
    }
    if (mag === 0 || !(rate > 0)) continue;
    const k = (sign * 100) / (rate * mag);
    for (let e = 0; e < 4; e++) g[4 * m + e] = k * (pRe * dRe[e] + pIm * dIm[e]);
  }
  return { g };
}

export function computeSensitivities(net: Network, locations: FlexLocation[], ops: OperatingPointSpec[], opts: SensitivityOptions = {}): SensitivityModel {
  const t0 = performance.now();
  const pu = toPerUnit(net);
  const solver = new PowerFlowSolver(pu);
  const base = pu.baseMVA;
  const nLoc = locations.length;
  const locBus = Int32Array.from(locations, (l) => {
    const i = pu.busIndex.get(l.bus);
    if (i === undefined) throw new Error(`location ${l.id}: unknown bus ${l.bus}`);
    return i;
  });
  const progress = opts.onProgress ?? (() => {});
  const totalSteps = 2 * ops.length;

  // 1. AC power flow at every operating point.
  const solved = ops.map((op, k) => {
    if (op.pFlexMw.length !== nLoc) throw new Error(`operating point '${op.id}' has ${op.pFlexMw.length} values for ${nLoc} locations`);
    const inj = operatingPointInjections(solver, locBus, op.pFlexMw, op.qFlexMvar);
    const sol = solver.solve(inj, { tol: opts.tol });
    const pf = computeResults(solver, sol, inj, 0);
    progress(k + 1, totalSteps, `power flow at '${op.id}'`);
    return { op, sol, pf };
  });

  // 2. Monitored elements.
  const branchIndex = new Map(net.branches.map((b, l) => [b.id, l]));
  let monBus: number[];
  if (opts.monitoredBuses) {
    monBus = opts.monitoredBuses.map((id) => {
      const i = pu.busIndex.get(id);
      if (i === undefined) throw new Error(`monitored bus ${id} does not exist`);
      return i;
    });
  } else {
    monBus = [...solver.pq].sort((a, b) => a - b);
  }
  let monBr: number[];
  if (opts.monitoredBranches) {
    monBr = opts.monitoredBranches.map((id) => {
      const l = branchIndex.get(id);
      if (l === undefined) throw new Error(`monitored branch ${id} does not exist`);
      if (!(pu.brRate[l] > 0)) throw new Error(`monitored branch ${id} has no rating, so no loading in %`);
      return l;
    });
  } else {
    monBr = [];
    for (let l = 0; l < pu.nl; l++) if (solver.activeBranch[l] && pu.brRate[l] > 0) monBr.push(l);
  }
  if (opts.restrict) {
    const r = opts.restrict;
    monBus = monBus.filter((i) => solved.some(({ pf }) => pf.vm[i] <= r.vMinPu + r.voltageMarginPu || pf.vm[i] >= r.vMaxPu - r.voltageMarginPu));
    monBr = monBr.filter((l) => solved.some(({ pf }) => Math.abs(pf.loadingPct[l]) >= 100 - r.loadingMarginPct));
  }
  const reactive = !!opts.reactive;
  const nB = solver.nBlocks;
  const rhs = new Float64Array(2 * nB);
  const dx = new Float64Array(2 * nB);
  const pvSet = new Set(solver.pv);
  // Offsets of theta and v of a bus in the state vector (-1 for slack/fixed).
  const thetaIdx = (i: number) => (solver.blockOf[i] < 0 ? -1 : 2 * solver.blockOf[i]);
  const vIdx = (i: number) => (solver.blockOf[i] < 0 || pvSet.has(i) ? -1 : 2 * solver.blockOf[i] + 1);
  const locP = Int32Array.from(locBus, (i) => thetaIdx(i));

  if (opts.screen) {
    // Range of each candidate's prediction over the offered box, one column at a time.
    const sc = opts.screen;
    const keepBus = new Uint8Array(monBus.length);
    const keepBr = new Uint8Array(monBr.length);
    const candBr = Int32Array.from(monBr);
    const busV = Int32Array.from(monBus, vIdx);
    const brIdx = new Int32Array(4 * monBr.length);
    monBr.forEach((b, m) => {
      brIdx[4 * m] = thetaIdx(pu.brFrom[b]);
      brIdx[4 * m + 1] = thetaIdx(pu.brTo[b]);
      brIdx[4 * m + 2] = vIdx(pu.brFrom[b]);
      brIdx[4 * m + 3] = vIdx(pu.brTo[b]);
    });
    solved.forEach(({ op, sol, pf }, k) => {
      if (sol.status !== "converged") return;
      if (!solver.factorizeAt(sol.vm, sol.va)) throw new Error(`singular Jacobian at operating point '${op.id}'`);
      const { g } = loadingGradients(solver, candBr, sol.vm, sol.va);
      const vLo = new Float64Array(monBus.length);
      const vHi = new Float64Array(monBus.length);
      const lLo = new Float64Array(monBr.length);
      const lHi = new Float64Array(monBr.length);
      for (let j = 0; j < nLoc; j++) {
        const r = locP[j];
        if (r < 0) continue;
        const down = locations[j].offeredDownMw - op.pFlexMw[j];
        const up = locations[j].offeredUpMw - op.pFlexMw[j];
        rhs.fill(0);
        rhs[r] = 1 / base;
        solver.solveJacobian(rhs, dx);
        for (let m = 0; m < busV.length; m++) {
          if (busV[m] < 0) continue;
          const a = dx[busV[m]];
          vLo[m] += Math.min(a * down, a * up);
          vHi[m] += Math.max(a * down, a * up);
        }
        for (let m = 0; m < candBr.length; m++) {
          let a = 0;
          for (let e = 0; e < 4; e++) {
            const q = brIdx[4 * m + e];
            if (q >= 0) a += g[4 * m + e] * dx[q];
          }
          lLo[m] += Math.min(a * down, a * up);
          lHi[m] += Math.max(a * down, a * up);
        }
      }
      monBus.forEach((i, m) => {
        const v = pf.vm[i];
        if (v + vLo[m] <= sc.vMinPu + sc.marginVPu || v + vHi[m] >= sc.vMaxPu - sc.marginVPu) keepBus[m] = 1;
      });
      monBr.forEach((b, m) => {
        const l = pf.loadingPct[b];
        if (Math.max(Math.abs(l + lLo[m]), Math.abs(l + lHi[m])) >= sc.loadingMaxPct - sc.marginLPct) keepBr[m] = 1;
      });
      progress(k + 1, totalSteps, `screening at '${op.id}'`);
    });
    monBus = monBus.filter((_, m) => keepBus[m]);
    monBr = monBr.filter((_, m) => keepBr[m]);
  }
  const nMB = monBus.length;
  const nML = monBr.length;
  const monBrArr = Int32Array.from(monBr);
  const strategy = opts.strategy ?? (nLoc <= nMB + nML ? "columns" : "rows");

  // 3. Sensitivities at every operating point.
  const points: OperatingPointSensitivity[] = solved.map(({ op, sol, pf }, k) => {
    const v = Float64Array.from(monBus, (i) => pf.vm[i]);
    const l = Float64Array.from(monBr, (b) => pf.loadingPct[b]);
    const vtdf = new Float64Array(nMB * nLoc);
    const ltdf = new Float64Array(nML * nLoc);
    const vtdfQ = reactive ? new Float64Array(nMB * nLoc) : undefined;
    const ltdfQ = reactive ? new Float64Array(nML * nLoc) : undefined;
    if (sol.status === "converged") {
      if (!solver.factorizeAt(sol.vm, sol.va)) throw new Error(`singular Jacobian at operating point '${op.id}'`);
      const { g } = loadingGradients(solver, monBrArr, sol.vm, sol.va);
      const monV = Int32Array.from(monBus, vIdx);
      const brIdx = new Int32Array(4 * nML);
      for (let m = 0; m < nML; m++) {
        const b = monBr[m];
        brIdx[4 * m] = thetaIdx(pu.brFrom[b]);
        brIdx[4 * m + 1] = thetaIdx(pu.brTo[b]);
        brIdx[4 * m + 2] = vIdx(pu.brFrom[b]);
        brIdx[4 * m + 3] = vIdx(pu.brTo[b]);
      }
      const locQ = Int32Array.from(locBus, (i) => vIdx(i));
      if (strategy === "columns") {
        const column = (rowOf: Int32Array, j: number, vt: Float64Array, lt: Float64Array) => {
          const r = rowOf[j];
          if (r < 0) return; // injection at the slack or a voltage-controlled bus: no effect
          rhs.fill(0);
          rhs[r] = 1 / base;
          solver.solveJacobian(rhs, dx);
          for (let m = 0; m < nMB; m++) vt[m * nLoc + j] = monV[m] < 0 ? 0 : dx[monV[m]];
          for (let m = 0; m < nML; m++) {
            let s = 0;
            for (let e = 0; e < 4; e++) {
              const q = brIdx[4 * m + e];
              if (q >= 0) s += g[4 * m + e] * dx[q];
            }
            lt[m * nLoc + j] = s;
          }
        };
        for (let j = 0; j < nLoc; j++) {
          column(locP, j, vtdf, ltdf);
          if (reactive) column(locQ, j, vtdfQ!, ltdfQ!);
        }
      } else {
        const row = (m: number, fill: (r: Float64Array) => void, outP: Float64Array, outQ: Float64Array | undefined) => {
          rhs.fill(0);
          fill(rhs);
          solver.solveJacobianTranspose(rhs, dx);
          for (let j = 0; j < nLoc; j++) {
            outP[m * nLoc + j] = locP[j] < 0 ? 0 : dx[locP[j]] / base;
            if (outQ) outQ[m * nLoc + j] = locQ[j] < 0 ? 0 : dx[locQ[j]] / base;
          }
        };
        for (let m = 0; m < nMB; m++) {
          if (monV[m] < 0) continue;
          row(m, (r) => (r[monV[m]] = 1), vtdf, vtdfQ);
        }
        for (let m = 0; m < nML; m++) {
          row(
            m,
            (r) => {
              for (let e = 0; e < 4; e++) if (brIdx[4 * m + e] >= 0) r[brIdx[4 * m + e]] += g[4 * m + e];
            },
            ltdf,
            ltdfQ,
          );
        }
      }
    }
    progress(ops.length + k + 1, totalSteps, `sensitivities at '${op.id}'`);
    return {
      id: op.id,
      label: op.label,
      converged: pf.converged,
      message: pf.message,
      pFlexMw: Float64Array.from(op.pFlexMw),
      qFlexMvar: op.qFlexMvar ? Float64Array.from(op.qFlexMvar) : new Float64Array(nLoc),
      vmMin: pf.vmMin,
      vmMax: pf.vmMax,
      maxLoadingPct: pf.maxLoadingPct,
      v,
      l,
      vtdf,
      ltdf,
      vtdfQ,
      ltdfQ,
      pf,
    };
  });

  return {
    locations,
    monitoredBuses: monBus.map((i) => pu.busIds[i]),
    monitoredBranches: monBr.map((l) => net.branches[l].id),
    points,
    strategy,
    computeMs: performance.now() - t0,
  };
}
