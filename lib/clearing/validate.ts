import { toPerUnit } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { computeResults, PowerFlowSolver, type PowerFlowResult } from "../powerflow";
import type { DecodedOperatingPoint, LightModel, LightModelKey } from "../sensitivity/light-model";
import type { ClearingResult } from "./clear";

/**
 * DSO-side validation of a clearing ([P001] section 5, Table 1 and
 * Fig. 7-8): the AC power flow with the dispatched flexibility against the linear
 * prediction the TSO cleared with. MAE and RMSE ([P004] eq. 15-16) over the monitored
 * voltages and loadings, violations over every bus and rated branch of the grid.
 */
export interface ValidationResult {
  converged: boolean;
  message: string;
  vMaePu: number;
  vRmsePu: number;
  vMaxErrPu: number;
  lMaePct: number;
  lRmsePct: number;
  lMaxErrPct: number;
  violations: { kind: "voltage" | "loading"; element: string; value: number; limit: number }[];
  /** Critical elements for plots: linear prediction vs AC power flow. */
  criticalBuses: { id: number; opaqueId: string; linear: number; ac: number }[];
  criticalBranches: { id: string; opaqueId: string; linear: number; ac: number }[];
  /** AC power flow with the dispatch (DSO side only). */
  pf: PowerFlowResult;
  /** Net injection change per bus (MW) applied for the dispatch, DSO side. */
  appliedMw: number;
}

/** A copy of the network with the dispatch applied at the location buses (fixed demand reduced). */
export function applyDispatch(net: Network, key: LightModelKey, locationMw: ArrayLike<number>, locationMvar: ArrayLike<number>): Network {
  const dP = new Map<number, number>();
  const dQ = new Map<number, number>();
  key.locations.forEach((l, k) => {
    if (locationMw[k] !== 0) dP.set(l.bus, (dP.get(l.bus) ?? 0) + locationMw[k]);
    if (locationMvar[k] !== 0) dQ.set(l.bus, (dQ.get(l.bus) ?? 0) + locationMvar[k]);
  });
  return {
    ...net,
    buses: net.buses.map((b) => (dP.has(b.id) || dQ.has(b.id) ? { ...b, pdMw: b.pdMw - (dP.get(b.id) ?? 0), qdMvar: b.qdMvar - (dQ.get(b.id) ?? 0) } : b)),
  };
}

/** What the validation reads of a clearing: the grid's selected point and its injections per location. */
export type DispatchToValidate = Pick<ClearingResult, "selectedIndex" | "locationMw" | "locationMvar"> & { stats: { reactive: boolean } };

export function validateDispatch(net: Network, key: LightModelKey, lm: LightModel, ops: DecodedOperatingPoint[], clearing: DispatchToValidate, opts: { critical?: number } = {}): ValidationResult {
  if (clearing.selectedIndex < 0) throw new Error("validation needs a cleared dispatch");
  const op = ops[clearing.selectedIndex];
  const nLoc = lm.locations.length;
  const withQ = clearing.stats.reactive && !!op.vtdfQ && !!op.ltdfQ;
  const dx = new Float64Array(nLoc);
  const dq = new Float64Array(nLoc);
  for (let k = 0; k < nLoc; k++) {
    dx[k] = clearing.locationMw[k] - op.pFlexMw[k];
    dq[k] = clearing.locationMvar[k] - op.qFlexMvar[k];
  }
  const predict = (base: Float64Array, S: Float64Array, SQ: Float64Array | undefined, e: number) => {
    let v = base[e];
    const off = e * nLoc;
    for (let k = 0; k < nLoc; k++) {
      v += S[off + k] * dx[k];
      if (withQ && SQ) v += SQ[off + k] * dq[k];
    }
    return v;
  };

  const dispatched = applyDispatch(net, key, clearing.locationMw, clearing.locationMvar);
  const pu = toPerUnit(dispatched);
  const solver = new PowerFlowSolver(pu);
  const inj = solver.baseInjections();
  const sol = solver.solve(inj);
  const pf = computeResults(solver, sol, inj, 0);

  const branchIndex = new Map(net.branches.map((b, l) => [b.id, l]));
  const vErr: number[] = [];
  const lErr: number[] = [];
  const buses = key.buses.map((b, m) => {
    const i = pu.busIndex.get(b.bus)!;
    const linear = predict(op.v, op.vtdf, op.vtdfQ, m);
    vErr.push(linear - pf.vm[i]);
    return { id: b.bus, opaqueId: b.id, linear, ac: pf.vm[i] };
  });
  const branches = key.branches.map((b, m) => {
    const l = branchIndex.get(b.branch)!;
    const linear = predict(op.l, op.ltdf, op.ltdfQ, m);
    lErr.push(linear - pf.loadingPct[l]);
    return { id: b.branch, opaqueId: b.id, linear, ac: pf.loadingPct[l] };
  });
  const mae = (e: number[]) => (e.length ? e.reduce((s, x) => s + Math.abs(x), 0) / e.length : 0);
  const rmse = (e: number[]) => (e.length ? Math.sqrt(e.reduce((s, x) => s + x * x, 0) / e.length) : 0);
  const maxAbs = (e: number[]) => e.reduce((s, x) => Math.max(s, Math.abs(x)), 0);

  const { vMinPu, vMaxPu, loadingMinPct, loadingMaxPct } = lm.limits;
  const tol = 1e-6;
  const violations: ValidationResult["violations"] = [];
  if (pf.converged) {
    net.buses.forEach((b, i) => {
      if (!solver.energized[i] || b.type !== "PQ") return;
      const v = pf.vm[i];
      if (v < vMinPu - tol) violations.push({ kind: "voltage", element: `bus ${b.id}`, value: v, limit: vMinPu });
      if (v > vMaxPu + tol) violations.push({ kind: "voltage", element: `bus ${b.id}`, value: v, limit: vMaxPu });
    });
    net.branches.forEach((br, l) => {
      const x = pf.loadingPct[l];
      if (Number.isNaN(x)) return;
      if (x > loadingMaxPct + tol) violations.push({ kind: "loading", element: `branch ${br.id}`, value: x, limit: loadingMaxPct });
      if (x < loadingMinPct - tol) violations.push({ kind: "loading", element: `branch ${br.id}`, value: x, limit: loadingMinPct });
    });
  }
  const n = opts.critical ?? 12;
  const criticalBuses = [...buses].sort((a, b) => Math.min(a.ac - vMinPu, vMaxPu - a.ac) - Math.min(b.ac - vMinPu, vMaxPu - b.ac)).slice(0, n);
  const criticalBranches = [...branches].sort((a, b) => Math.abs(b.ac) - Math.abs(a.ac)).slice(0, n);
  return {
    converged: pf.converged,
    message: pf.converged
      ? violations.length
        ? `${violations.length} limit violation(s) in the AC power flow`
        : "no limit violated in the AC power flow"
      : `the AC power flow with the dispatch did not converge: ${pf.message}`,
    vMaePu: mae(vErr),
    vRmsePu: rmse(vErr),
    vMaxErrPu: maxAbs(vErr),
    lMaePct: mae(lErr),
    lRmsePct: rmse(lErr),
    lMaxErrPct: maxAbs(lErr),
    violations,
    criticalBuses,
    criticalBranches,
    pf,
    appliedMw: clearing.locationMw.reduce((s, x) => s + x, 0),
  };
}
