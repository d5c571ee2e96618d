import { endFlow, newEndFlow } from "./branch-flow";
import type { IpmIteration, IpmResult } from "./ipm";
import type { IpmPoint, KktSystem } from "./kkt";
import { RowKind } from "./layout";
import type { OpfWarmStart } from "./solver";

export type OpfStatus = "optimal" | "infeasible" | "max_iterations" | "numerical_error";

export type BindingKind = "vmax" | "vmin" | "pmax" | "pmin" | "qmax" | "qmin" | "flow" | "angle" | "pwl" | "bound" | "extra";

/** An inequality that holds with equality at the optimum, with its shadow price. */
export interface BindingConstraint {
  kind: BindingKind;
  /** Bus id, generator id or branch id of the network, or the extra constraint's label. */
  element: string;
  /** "from" / "to" end of a branch, "max" / "min" of an angle difference; empty otherwise. */
  side: string;
  /** Value and limit in engineering units (p.u. voltages, MW, MVAr, MVA, degrees). */
  value: number;
  limit: number;
  /** Lagrange multiplier in $/h per unit of the limit (per p.u. of voltage, per MW, per MVA, per degree). */
  multiplier: number;
}

export interface OpfSolution {
  status: OpfStatus;
  message: string;
  iterations: number;
  /** Objective in $/h (as MATPOWER's f). */
  objective: number;
  solveMs: number;
  /** Per network bus, file order (NaN for isolated buses). */
  vm: Float64Array;
  vaDeg: Float64Array;
  /** Bus LMPs: λ_P in $/MWh, λ_Q in $/MVArh. */
  lamP: Float64Array;
  lamQ: Float64Array;
  /** Per network generator, file order (0 for out-of-service ones). */
  pgMw: Float64Array;
  qgMvar: Float64Array;
  /** Per network branch, file order (0 for out-of-service ones). */
  pFromMw: Float64Array;
  qFromMvar: Float64Array;
  pToMw: Float64Array;
  qToMvar: Float64Array;
  sFromMva: Float64Array;
  sToMva: Float64Array;
  /** Apparent power at the more loaded end in % of rateA; NaN without a rating. */
  loadingPct: Float64Array;
  lossPMw: number;
  /** Largest power-balance mismatch at the final point, MW or MVAr. */
  maxMismatch: number;
  /**
   * Whether the final point is usable although the run did not converge: primal feasible
   * (MIPS's feasibility measure within its tolerance), complementarity below 1e-4 and the
   * dual residual below 1e-3 (IPOPT's idea of an "acceptable" point), and every power
   * balance met to 1e-5 p.u. True when optimal.
   */
  acceptable: boolean;
  binding: BindingConstraint[];
  history: IpmIteration[];
  /** Primal and dual point, to warm-start a neighbouring solve. */
  warmStart: OpfWarmStart;
  /** The final primal variables (p.u., radians) in the model's layout. */
  x: Float64Array;
}

export interface OpfOutcome {
  status: OpfStatus;
  message: string;
  ipm: IpmResult | null;
}

/**
 * Name what the interior point ended with. A run that stops without converging after at
 * least three iterations, with finite iterates, because its steps collapsed, its barrier
 * left its range or its feasibility measure stalled, while the power balance is still
 * violated by more than 1e-3 p.u., is reported infeasible with the largest mismatch.
 * Non-finite values and a singular KKT matrix are numerical errors.
 */
export function classifyOutcome(sys: KktSystem, ipm: IpmResult): OpfOutcome {
  if (ipm.status === "converged") return { status: "optimal", message: ipm.message, ipm };
  const hist = ipm.history;
  const recent = hist.slice(-10).map((h) => h.feasCond);
  const stalled = recent.length >= 5 && Math.min(...recent) > 0.5 * (hist[Math.max(0, hist.length - 20)]?.feasCond ?? Infinity);
  const stuck = ipm.stop === "step" || ipm.stop === "barrier" || (ipm.stop === "max_iterations" && stalled);
  if (stuck && ipm.iterations >= 3 && ipm.maxMismatch > 1e-3) {
    const i = Math.floor(ipm.maxMismatchIndex / 2);
    const bus = sys.model.network.buses[sys.model.buses[i]];
    const what = ipm.maxMismatchIndex % 2 === 0 ? "MW" : "MVAr";
    const size = (ipm.maxMismatch * sys.model.baseMVA).toPrecision(3);
    return {
      status: "infeasible",
      message: `no operating point meets the power balance within the limits; after ${ipm.iterations} iterations the largest mismatch is still ${size} ${what} at bus ${bus.id} (${ipm.message})`,
      ipm,
    };
  }
  return { status: ipm.status, message: ipm.message, ipm };
}

export function extractSolution(sys: KktSystem, p: IpmPoint, outcome: OpfOutcome, solveMs: number, costScale: number): OpfSolution {
  const model = sys.model;
  const net = model.network;
  const base = model.baseMVA;
  const { x } = p;
  const nbAll = net.buses.length;
  const vm = new Float64Array(nbAll).fill(NaN);
  const vaDeg = new Float64Array(nbAll).fill(NaN);
  const lamP = new Float64Array(nbAll).fill(NaN);
  const lamQ = new Float64Array(nbAll).fill(NaN);
  for (let i = 0; i < model.nb; i++) {
    const b = model.buses[i];
    vm[b] = x[model.iVm + i];
    vaDeg[b] = (x[model.iVa + i] * 180) / Math.PI;
    lamP[b] = p.lam[2 * i] / costScale / base;
    lamQ[b] = p.lam[2 * i + 1] / costScale / base;
  }
  const pgMw = new Float64Array(net.generators.length);
  const qgMvar = new Float64Array(net.generators.length);
  for (let k = 0; k < model.ng; k++) {
    pgMw[model.gens[k]] = x[model.iPg + k] * base;
    qgMvar[model.gens[k]] = x[model.iQg + k] * base;
  }
  const flows = branchFlows(sys, x);
  let maxMismatch = 0;
  for (let i = 0; i < sys.g.length; i++) maxMismatch = Math.max(maxMismatch, Math.abs(sys.g[i]) * base);
  const ipm = outcome.ipm;
  // Acceptable also needs the power balance met to 1e-5 p.u. in absolute terms: MIPS's
  // feasibility measure is relative to the largest variable or slack, and on the district
  // (base 1 MVA) it let a point with 1.9 kW of mismatch through.
  const acceptable = outcome.status === "optimal" || (acceptableIpm(ipm) && maxMismatch <= 1e-5 * base);
  return {
    status: outcome.status,
    message: outcome.message,
    iterations: ipm?.iterations ?? 0,
    objective: outcome.status === "infeasible" && !ipm ? NaN : (ipm?.objective ?? NaN),
    solveMs,
    vm,
    vaDeg,
    lamP,
    lamQ,
    pgMw,
    qgMvar,
    ...flows,
    maxMismatch,
    acceptable,
    binding: acceptable ? bindingConstraints(sys, p, costScale) : [],
    history: ipm?.history ?? [],
    warmStart: { x: x.slice(), lam: p.lam.slice(), mu: p.mu.slice(), z: p.z.slice(), rowKey: sys.layout.key },
    x: x.slice(),
  };
}

function acceptableIpm(ipm: IpmResult | null): boolean {
  return ipm !== null && ipm.feasCond < 5e-6 && ipm.compCond < 1e-4 && ipm.gradCond < 1e-3 && Number.isFinite(ipm.objective);
}

function branchFlows(sys: KktSystem, x: Float64Array) {
  const model = sys.model;
  const net = model.network;
  const base = model.baseMVA;
  const nlAll = net.branches.length;
  const out = {
    pFromMw: new Float64Array(nlAll),
    qFromMvar: new Float64Array(nlAll),
    pToMw: new Float64Array(nlAll),
    qToMvar: new Float64Array(nlAll),
    sFromMva: new Float64Array(nlAll),
    sToMva: new Float64Array(nlAll),
    loadingPct: new Float64Array(nlAll).fill(NaN),
    lossPMw: 0,
  };
  const from = newEndFlow();
  const to = newEndFlow();
  const y = model.y;
  for (let l = 0; l < model.nl; l++) {
    const f = model.brFrom[l];
    const t = model.brTo[l];
    endFlow(y.yffRe[l], y.yffIm[l], y.yftRe[l], y.yftIm[l], x[f], x[model.iVm + f], x[t], x[model.iVm + t], from);
    endFlow(y.yttRe[l], y.yttIm[l], y.ytfRe[l], y.ytfIm[l], x[t], x[model.iVm + t], x[f], x[model.iVm + f], to);
    const b = model.branches[l];
    out.pFromMw[b] = from.p * base;
    out.qFromMvar[b] = from.q * base;
    out.pToMw[b] = to.p * base;
    out.qToMvar[b] = to.q * base;
    out.sFromMva[b] = Math.hypot(from.p, from.q) * base;
    out.sToMva[b] = Math.hypot(to.p, to.q) * base;
    const rate = net.branches[b].rateAMva;
    if (rate > 0) out.loadingPct[b] = (100 * Math.max(out.sFromMva[b], out.sToMva[b])) / rate;
    out.lossPMw += (from.p + to.p) * base;
  }
  return out;
}

/**
 * Active inequalities, identified as interior-point methods do (El-Bakry, Tapia, Zhang,
 * "A study of indicators for identifying zero variables in interior-point methods",
 * SIAM Review 1994): a row is active when its multiplier exceeds its slack (μ_j > z_j,
 * both scaled); at convergence active rows have μ ≫ z and inactive ones z ≫ μ.
 */
function bindingConstraints(sys: KktSystem, p: IpmPoint, costScale: number): BindingConstraint[] {
  const model = sys.model;
  const net = model.network;
  const base = model.baseMVA;
  const { layout, h } = sys;
  const out: BindingConstraint[] = [];
  const RAD = 180 / Math.PI;
  for (let j = 0; j < layout.nRows; j++) {
    if (!(p.mu[j] > p.z[j])) continue;
    const mu = p.mu[j] / costScale;
    const ref = layout.rowRef[j];
    const kind = layout.rowKind[j] as RowKind;
    switch (kind) {
      case RowKind.VarUpper:
      case RowKind.VarLower: {
        const upper = kind === RowKind.VarUpper;
        const limit = upper ? sys.xmax[ref] : sys.xmin[ref];
        if (ref >= model.iVm && ref < model.iPg) {
          const bus = net.buses[model.buses[ref - model.iVm]];
          out.push({ kind: upper ? "vmax" : "vmin", element: String(bus.id), side: "", value: p.x[ref], limit, multiplier: mu });
        } else if (ref >= model.iPg && ref < model.iY) {
          const isP = ref < model.iQg;
          const k = ref - (isP ? model.iPg : model.iQg);
          const g = net.generators[model.gens[k]];
          const kindName = isP ? (upper ? "pmax" : "pmin") : upper ? "qmax" : "qmin";
          out.push({ kind: kindName, element: g.id, side: "", value: p.x[ref] * base, limit: limit * base, multiplier: mu / base });
        } else {
          out.push({ kind: "bound", element: `x${ref}`, side: upper ? "max" : "min", value: p.x[ref], limit, multiplier: mu });
        }
        break;
      }
      case RowKind.FlowFrom:
      case RowKind.FlowTo: {
        const br = net.branches[model.branches[ref]];
        const rate = model.rate[ref];
        const s = Math.sqrt(Math.max(0, h[j] + rate * rate));
        // d(S²)/dS = 2S: the multiplier per MVA of rating.
        out.push({
          kind: "flow",
          element: br.id,
          side: kind === RowKind.FlowFrom ? "from" : "to",
          value: s * base,
          limit: rate * base,
          multiplier: (mu * 2 * rate) / base,
        });
        break;
      }
      case RowKind.AngleUpper:
      case RowKind.AngleLower: {
        const a = model.angleLimits[ref];
        const br = net.branches[model.branches[a.branch]];
        const f = model.brFrom[a.branch];
        const t = model.brTo[a.branch];
        const upper = kind === RowKind.AngleUpper;
        out.push({
          kind: "angle",
          element: br.id,
          side: upper ? "max" : "min",
          value: (p.x[f] - p.x[t]) * RAD,
          limit: (upper ? a.hi : a.lo) * RAD,
          multiplier: mu / RAD,
        });
        break;
      }
      case RowKind.Pwl:
        break; // a pwl segment in use is not a limit
      case RowKind.Extra:
        out.push({ kind: "extra", element: sys.extraConstraints[ref].label, side: "", value: h[j], limit: 0, multiplier: mu });
        break;
      case RowKind.Linear:
        out.push({ kind: "extra", element: sys.linearConstraints[ref].label, side: "", value: h[j], limit: 0, multiplier: mu });
        break;
    }
  }
  return out;
}
