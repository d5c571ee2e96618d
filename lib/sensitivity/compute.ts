import { toPerUnit, type PuNetwork } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { computeResults, PowerFlowSolver, type PowerFlowResult } from "../powerflow";
import { loadingGradients } from "./loading-gradient";
import type { FlexLocation, OperatingPointSpec } from "./locations";
import { monitoredElements, screenElements, type SolvedPoint } from "./monitored";
import { loadingResponse, StateSensitivity } from "./state-sensitivity";

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

/** An operating point's flexibility and sensitivity matrices: all the light model carries of it. */
export interface OperatingPointMatrices {
  id: string;
  label: string;
  pFlexMw: Float64Array;
  qFlexMvar: Float64Array;
  /** Base values at the point: monitored voltages (p.u.) and signed loadings (%). */
  v: Float64Array;
  l: Float64Array;
  /** Row-major [monitored bus][location], p.u./MW. */
  vtdf: Float64Array;
  /** Row-major [monitored branch][location], %/MW. */
  ltdf: Float64Array;
  vtdfQ?: Float64Array;
  ltdfQ?: Float64Array;
}

export interface OperatingPointSensitivity extends OperatingPointMatrices {
  converged: boolean;
  message: string;
  vmMin: number;
  vmMax: number;
  maxLoadingPct: number | null;
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

/** Network position of each location's bus. */
function locationBuses(pu: PuNetwork, locations: FlexLocation[]): Int32Array {
  return Int32Array.from(locations, (l) => {
    const i = pu.busIndex.get(l.bus);
    if (i === undefined) throw new Error(`location ${l.id}: unknown bus ${l.bus}`);
    return i;
  });
}

export function computeSensitivities(net: Network, locations: FlexLocation[], ops: OperatingPointSpec[], opts: SensitivityOptions = {}): SensitivityModel {
  const t0 = performance.now();
  const pu = toPerUnit(net);
  const solver = new PowerFlowSolver(pu);
  const nLoc = locations.length;
  const locBus = locationBuses(pu, locations);
  const progress = opts.onProgress ?? (() => {});
  const totalSteps = 2 * ops.length;

  // 1. AC power flow at every operating point.
  const solved: SolvedPoint[] = ops.map((op, k) => {
    if (op.pFlexMw.length !== nLoc) throw new Error(`operating point '${op.id}' has ${op.pFlexMw.length} values for ${nLoc} locations`);
    const inj = operatingPointInjections(solver, locBus, op.pFlexMw, op.qFlexMvar);
    const sol = solver.solve(inj, { tol: opts.tol });
    const pf = computeResults(solver, sol, inj, 0);
    progress(k + 1, totalSteps, `power flow at '${op.id}'`);
    return { op, sol, pf };
  });

  // 2. Monitored elements.
  const state = new StateSensitivity(solver);
  const locP = Int32Array.from(locBus, (i) => state.thetaIdx(i));
  let mon = monitoredElements(net, pu, solver, solved, opts);
  if (opts.screen) {
    mon = screenElements(state, solver, solved, locations, locP, mon, opts.screen, (k, id) => progress(k + 1, totalSteps, `screening at '${id}'`));
  }
  const monBus = mon.buses;
  const monBr = mon.branches;
  const strategy = opts.strategy ?? (nLoc <= monBus.length + monBr.length ? "columns" : "rows");

  // 3. Sensitivities at every operating point.
  const at: PointContext = {
    solver,
    state,
    monBus,
    monBr: Int32Array.from(monBr),
    locP,
    locQ: Int32Array.from(locBus, (i) => state.vIdx(i)),
    reactive: !!opts.reactive,
    strategy,
  };
  const points: OperatingPointSensitivity[] = solved.map((point, k) => {
    const { op, pf } = point;
    const m = pointMatrices(at, point);
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
      v: m.v,
      l: m.l,
      vtdf: m.vtdf,
      ltdf: m.ltdf,
      vtdfQ: m.vtdfQ,
      ltdfQ: m.ltdfQ,
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

/** What the sensitivities at every operating point share. */
interface PointContext {
  solver: PowerFlowSolver;
  state: StateSensitivity;
  monBus: number[];
  monBr: Int32Array;
  /** State rows of P (theta) and Q (v) injections at each location (-1: no effect). */
  locP: Int32Array;
  locQ: Int32Array;
  reactive: boolean;
  strategy: "columns" | "rows";
}

/** Base values and sensitivity matrices of one operating point (zero matrices where the power flow did not converge). */
type PointMatrices = Pick<OperatingPointMatrices, "v" | "l" | "vtdf" | "ltdf" | "vtdfQ" | "ltdfQ">;

function pointMatrices(at: PointContext, { op, sol, pf }: SolvedPoint): PointMatrices {
  const { monBus, monBr, reactive } = at;
  const nLoc = at.locP.length;
  const nMB = monBus.length;
  const nML = monBr.length;
  const m: PointMatrices = {
    v: Float64Array.from(monBus, (i) => pf.vm[i]),
    l: Float64Array.from(monBr, (b) => pf.loadingPct[b]),
    vtdf: new Float64Array(nMB * nLoc),
    ltdf: new Float64Array(nML * nLoc),
    vtdfQ: reactive ? new Float64Array(nMB * nLoc) : undefined,
    ltdfQ: reactive ? new Float64Array(nML * nLoc) : undefined,
  };
  if (sol.status !== "converged") return m;
  at.state.factorizeAt(sol.vm, sol.va, op.id);
  const { g } = loadingGradients(at.solver, monBr, sol.vm, sol.va);
  const monV = Int32Array.from(monBus, (i) => at.state.vIdx(i));
  const brIdx = at.state.branchStateIndex(monBr);
  if (at.strategy === "columns") byColumns(at, m, g, monV, brIdx);
  else byRows(at, m, g, monV, brIdx);
  return m;
}

/** One Jacobian solve per location (and per location's Q with `reactive`): a column of every matrix. */
function byColumns(at: PointContext, m: PointMatrices, g: Float64Array, monV: Int32Array, brIdx: Int32Array): void {
  const { state, locP, locQ, reactive } = at;
  const nLoc = locP.length;
  const nMB = monV.length;
  const nML = at.monBr.length;
  const column = (rowOf: Int32Array, j: number, vt: Float64Array, lt: Float64Array) => {
    const r = rowOf[j];
    if (r < 0) return; // injection at the slack or a voltage-controlled bus: no effect
    const dx = state.solveUnitInjection(r);
    for (let k = 0; k < nMB; k++) vt[k * nLoc + j] = monV[k] < 0 ? 0 : dx[monV[k]];
    for (let k = 0; k < nML; k++) lt[k * nLoc + j] = loadingResponse(g, brIdx, k, dx);
  };
  for (let j = 0; j < nLoc; j++) {
    column(locP, j, m.vtdf, m.ltdf);
    if (reactive) column(locQ, j, m.vtdfQ!, m.ltdfQ!);
  }
}

/** One transposed Jacobian solve per monitored voltage and branch: a row of the P (and Q) matrices. */
function byRows(at: PointContext, m: PointMatrices, g: Float64Array, monV: Int32Array, brIdx: Int32Array): void {
  const { state, locP, locQ } = at;
  const base = at.solver.pu.baseMVA;
  const nLoc = locP.length;
  const row = (k: number, fill: (r: Float64Array) => void, outP: Float64Array, outQ: Float64Array | undefined) => {
    const dx = state.solveTransposed(fill);
    for (let j = 0; j < nLoc; j++) {
      outP[k * nLoc + j] = locP[j] < 0 ? 0 : dx[locP[j]] / base;
      if (outQ) outQ[k * nLoc + j] = locQ[j] < 0 ? 0 : dx[locQ[j]] / base;
    }
  };
  for (let k = 0; k < monV.length; k++) {
    if (monV[k] < 0) continue;
    row(k, (r) => (r[monV[k]] = 1), m.vtdf, m.vtdfQ);
  }
  for (let k = 0; k < at.monBr.length; k++) {
    row(
      k,
      (r) => {
        for (let e = 0; e < 4; e++) if (brIdx[4 * k + e] >= 0) r[brIdx[4 * k + e]] += g[4 * k + e];
      },
      m.ltdf,
      m.ltdfQ,
    );
  }
}
