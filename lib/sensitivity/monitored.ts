import type { PuNetwork } from "../grid/per-unit";
import type { Network } from "../grid/types";
import type { PowerFlowResult, PowerFlowSolver } from "../powerflow";
import type { SensitivityOptions } from "./compute";
import { loadingGradients } from "./loading-gradient";
import type { FlexLocation, OperatingPointSpec } from "./locations";
import { loadingResponse, type StateSensitivity } from "./state-sensitivity";

/**
 * Which buses and branches the sensitivities cover: the caller's lists or the defaults,
 * narrowed by `restrict` (elements near a limit at some operating point) and by
 * `screen` (elements whose linear prediction can come near a limit within the offered
 * flexibility).
 */

/** An operating point with its Newton solution and power flow result. */
export interface SolvedPoint {
  op: OperatingPointSpec;
  sol: ReturnType<PowerFlowSolver["solve"]>;
  pf: PowerFlowResult;
}

/** Monitored buses and branches as network positions. */
interface Monitored {
  buses: number[];
  branches: number[];
}

/** The caller's monitored elements (default: energized PQ buses, rated in-service branches), narrowed by `restrict`. */
export function monitoredElements(net: Network, pu: PuNetwork, solver: PowerFlowSolver, solved: SolvedPoint[], opts: SensitivityOptions): Monitored {
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
    const branchIndex = new Map(net.branches.map((b, l) => [b.id, l]));
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
  return { buses: monBus, branches: monBr };
}

/**
 * Keep the elements whose linear prediction at some converged operating point can come
 * within the margin of a limit anywhere in the box of offered flexibility: the range of
 * each prediction over the box, one Jacobian solve per location and point.
 * `onPoint(k)` is called after screening at operating point k.
 */
export function screenElements(
  state: StateSensitivity,
  solver: PowerFlowSolver,
  solved: SolvedPoint[],
  locations: FlexLocation[],
  locP: Int32Array,
  mon: Monitored,
  sc: NonNullable<SensitivityOptions["screen"]>,
  onPoint: (k: number, opId: string) => void,
): Monitored {
  const { buses: monBus, branches: monBr } = mon;
  const keepBus = new Uint8Array(monBus.length);
  const keepBr = new Uint8Array(monBr.length);
  const candBr = Int32Array.from(monBr);
  const busV = Int32Array.from(monBus, (i) => state.vIdx(i));
  const brIdx = state.branchStateIndex(monBr);
  solved.forEach(({ op, sol, pf }, k) => {
    if (sol.status !== "converged") return;
    state.factorizeAt(sol.vm, sol.va, op.id);
    const { g } = loadingGradients(solver, candBr, sol.vm, sol.va);
    const vLo = new Float64Array(monBus.length);
    const vHi = new Float64Array(monBus.length);
    const lLo = new Float64Array(monBr.length);
    const lHi = new Float64Array(monBr.length);
    for (let j = 0; j < locations.length; j++) {
      const r = locP[j];
      if (r < 0) continue;
      const down = locations[j].offeredDownMw - op.pFlexMw[j];
      const up = locations[j].offeredUpMw - op.pFlexMw[j];
      const dx = state.solveUnitInjection(r);
      for (let m = 0; m < busV.length; m++) {
        if (busV[m] < 0) continue;
        const a = dx[busV[m]];
        vLo[m] += Math.min(a * down, a * up);
        vHi[m] += Math.max(a * down, a * up);
      }
      for (let m = 0; m < candBr.length; m++) {
        const a = loadingResponse(g, brIdx, m, dx);
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
    onPoint(k, op.id);
  });
  return { buses: monBus.filter((_, m) => keepBus[m]), branches: monBr.filter((_, m) => keepBr[m]) };
}
