import { BlockLdl, BlockLdlPattern } from "../sparse/block-ldl";
import type { OpfModel } from "./model";

/**
 * A function of a few OPF variables with its gradient and Hessian, for what the
 * callers add to the standard OPF: objective terms (e.g. a PQV cost) and inequality
 * constraints h(x) ≤ 0 (e.g. a unit's PQ chart or a region's polynomial).
 */
export interface LocalFunction {
  /** Global variable indices (see OpfModel's layout). */
  vars: Int32Array;
  /** Value at the local values x; fills grad (length m) and hess (packed lower triangle, m(m+1)/2). */
  evaluate(x: Float64Array, grad: Float64Array, hess: Float64Array): number;
  /** Shown in binding-constraint reports. */
  label: string;
}

/** A linear inequality Σ coeffs·x[vars] ≤ upper (p.u. variables), e.g. a unit's PQ-chart edge. */
export interface LinearConstraint {
  vars: Int32Array;
  coeffs: Float64Array;
  upper: number;
  label: string;
}

/** Kinds of inequality rows h(x) ≤ 0. */
export enum RowKind {
  VarUpper = 0,
  VarLower = 1,
  FlowFrom = 2,
  FlowTo = 3,
  AngleUpper = 4,
  AngleLower = 5,
  Pwl = 6,
  Extra = 7,
  Linear = 8,
}

/** Bounds at or beyond this magnitude count as none (MIPS's ±1e10). */
export const NO_BOUND = 1e10;

/**
 * Where everything goes in the KKT matrix for one set of fixed variables and
 * inequality rows: one block per bus, holding its free voltage variables, the free
 * P/Q (and cost) variables of its generators, then its two balance multipliers.
 */
export interface KktLayout {
  free: Uint8Array;
  nFree: number;
  /** KKT unknown of each variable (-1 when fixed), of each bus's λP and λQ. */
  kktOfVar: Int32Array;
  kktOfLamP: Int32Array;
  kktOfLamQ: Int32Array;
  ldl: BlockLdl;
  /** Offsets of diagonal entries (variables, then multipliers) for regularization; -1 when fixed. */
  diagOfVar: Int32Array;
  diagOfLam: Int32Array;
  /** (Vm_i, λP_i), (Vm_i, λQ_i) for shunts; (Pg, λP), (Qg, λQ) for generators. */
  offVmLamP: Int32Array;
  offVmLamQ: Int32Array;
  offPgLam: Int32Array;
  offQgLam: Int32Array;
  /** (Pg, λP), (Qg, λQ) at the bus where a linked generator's injection is withdrawn; -1 otherwise. */
  offPgLinkLam: Int32Array;
  offQgLinkLam: Int32Array;
  /** Per branch: 16 Jacobian offsets [output (λPf, λQf, λPt, λQt)][var (Va_f, Vm_f, Va_t, Vm_t)], 10 Hessian pair offsets. */
  brJac: Int32Array;
  brHess: Int32Array;
  brVar: Int32Array;
  /** Inequality rows. */
  nRows: number;
  rowKind: Uint8Array;
  /** Variable, branch, angle-limit, pwl segment or extra function behind each row. */
  rowRef: Int32Array;
  /** Segment index for pwl rows. */
  rowSeg: Int32Array;
  rowPtr: Int32Array;
  rowVar: Int32Array;
  /** Gradient values, refilled at each evaluation. */
  rowGrad: Float64Array;
  /** Packed pair offsets per row: rowPairPtr[j]..rowPairPtr[j+1]. */
  rowPairPtr: Int32Array;
  rowPair: Int32Array;
  flowRowF: Int32Array;
  flowRowT: Int32Array;
  /** Pair offsets of each extra objective term (packed lower triangle). */
  objPairs: Int32Array[];
  /** Identifies the row set, so a warm start can tell whether its multipliers still fit. */
  key: string;
}

export interface LayoutInput {
  model: OpfModel;
  xmin: Float64Array;
  xmax: Float64Array;
  extraObjective: LocalFunction[];
  extraConstraints: LocalFunction[];
  linearConstraints: LinearConstraint[];
}

/** Bus (OPF index) that each variable belongs to. */
export function variableBus(model: OpfModel): Int32Array {
  const { nb, ng, iVm, iPg, iQg, iY, genBus } = model;
  const bus = new Int32Array(model.nx);
  for (let i = 0; i < nb; i++) {
    bus[i] = i;
    bus[iVm + i] = i;
  }
  for (let k = 0; k < ng; k++) {
    bus[iPg + k] = genBus[k];
    bus[iQg + k] = genBus[k];
  }
  for (const c of model.costs) if (c.yVariable >= 0) bus[c.yVariable] = bus[c.variable];
  void iY;
  return bus;
}

/** The block graph: buses joined by branches and by extra functions spanning several buses. */
export function blockPattern(model: OpfModel, extras: { vars: Int32Array }[], varBus: Int32Array): BlockLdlPattern {
  const adj: Set<number>[] = Array.from({ length: model.nb }, () => new Set<number>());
  for (let l = 0; l < model.nl; l++) {
    const f = model.brFrom[l];
    const t = model.brTo[l];
    if (f !== t) {
      adj[f].add(t);
      adj[t].add(f);
    }
  }
  for (let k = 0; k < model.ng; k++) {
    const lb = model.genLink[k];
    if (lb >= 0) {
      adj[model.genBus[k]].add(lb);
      adj[lb].add(model.genBus[k]);
    }
  }
  for (const fn of extras) {
    for (let a = 0; a < fn.vars.length; a++) {
      for (let b = 0; b < a; b++) {
        const i = varBus[fn.vars[a]];
        const j = varBus[fn.vars[b]];
        if (i !== j) {
          adj[i].add(j);
          adj[j].add(i);
        }
      }
    }
  }
  return new BlockLdlPattern(adj.map((s) => Int32Array.from(s).sort()));
}

export function buildLayout(input: LayoutInput, pattern: BlockLdlPattern, varBus: Int32Array): KktLayout {
  const { model, xmin, xmax } = input;
  const { nb, ng, nx, iVm, iPg, iQg } = model;
  const free = new Uint8Array(nx);
  let nFree = 0;
  for (let v = 0; v < nx; v++) {
    if (!(xmin[v] === xmax[v])) {
      free[v] = 1;
      nFree++;
    }
  }
  // Block sizes and slots: free variables of the bus in variable order, then λP, λQ.
  const sizes = new Int32Array(nb).fill(2);
  for (let v = 0; v < nx; v++) if (free[v]) sizes[varBus[v]]++;
  const ldl = new BlockLdl(pattern, sizes);
  const next = Int32Array.from({ length: nb }, (_, i) => ldl.start[i]);
  const kktOfVar = new Int32Array(nx).fill(-1);
  for (let v = 0; v < nx; v++) if (free[v]) kktOfVar[v] = next[varBus[v]]++;
  const kktOfLamP = new Int32Array(nb);
  const kktOfLamQ = new Int32Array(nb);
  for (let i = 0; i < nb; i++) {
    kktOfLamP[i] = next[i]++;
    kktOfLamQ[i] = next[i]++;
  }
  const off = (u: number, w: number): number => {
    if (u < 0 || w < 0) return -1;
    const o = ldl.offset(u, w);
    if (o < 0) throw new Error("OPF layout: entry outside the block pattern");
    return o;
  };
  const diagOfVar = Int32Array.from(kktOfVar, (u) => off(u, u));
  const diagOfLam = new Int32Array(2 * nb);
  for (let i = 0; i < nb; i++) {
    diagOfLam[2 * i] = off(kktOfLamP[i], kktOfLamP[i]);
    diagOfLam[2 * i + 1] = off(kktOfLamQ[i], kktOfLamQ[i]);
  }
  const offVmLamP = Int32Array.from({ length: nb }, (_, i) => off(kktOfVar[iVm + i], kktOfLamP[i]));
  const offVmLamQ = Int32Array.from({ length: nb }, (_, i) => off(kktOfVar[iVm + i], kktOfLamQ[i]));
  const offPgLam = Int32Array.from({ length: ng }, (_, k) => off(kktOfVar[iPg + k], kktOfLamP[model.genBus[k]]));
  const offQgLam = Int32Array.from({ length: ng }, (_, k) => off(kktOfVar[iQg + k], kktOfLamQ[model.genBus[k]]));
  const linked = (k: number, lam: Int32Array, v: number) => (model.genLink[k] < 0 ? -1 : off(kktOfVar[v + k], lam[model.genLink[k]]));
  const offPgLinkLam = Int32Array.from({ length: ng }, (_, k) => linked(k, kktOfLamP, iPg));
  const offQgLinkLam = Int32Array.from({ length: ng }, (_, k) => linked(k, kktOfLamQ, iQg));

  const nl = model.nl;
  const brJac = new Int32Array(16 * nl);
  const brHess = new Int32Array(10 * nl);
  const brVar = new Int32Array(4 * nl);
  for (let l = 0; l < nl; l++) {
    const f = model.brFrom[l];
    const t = model.brTo[l];
    const vars = [f, iVm + f, t, iVm + t];
    brVar.set(vars, 4 * l);
    const lams = [kktOfLamP[f], kktOfLamQ[f], kktOfLamP[t], kktOfLamQ[t]];
    for (let o = 0; o < 4; o++) for (let a = 0; a < 4; a++) brJac[16 * l + 4 * o + a] = off(kktOfVar[vars[a]], lams[o]);
    let p = 0;
    for (let a = 0; a < 4; a++) for (let b = 0; b <= a; b++) brHess[10 * l + p++] = off(kktOfVar[vars[a]], kktOfVar[vars[b]]);
  }

  const rows = buildRows(input, free);
  const rowPairPtr = new Int32Array(rows.kind.length + 1);
  for (let j = 0; j < rows.kind.length; j++) {
    const m = rows.ptr[j + 1] - rows.ptr[j];
    rowPairPtr[j + 1] = rowPairPtr[j] + (m * (m + 1)) / 2;
  }
  const rowPair = new Int32Array(rowPairPtr[rows.kind.length]);
  for (let j = 0; j < rows.kind.length; j++) {
    let p = rowPairPtr[j];
    for (let a = rows.ptr[j]; a < rows.ptr[j + 1]; a++) {
      for (let b = rows.ptr[j]; b <= a; b++) rowPair[p++] = off(kktOfVar[rows.vars[a]], kktOfVar[rows.vars[b]]);
    }
  }
  const objPairs = input.extraObjective.map((fn) => pairOffsets(fn.vars, kktOfVar, off));
  return {
    free,
    nFree,
    kktOfVar,
    kktOfLamP,
    kktOfLamQ,
    ldl,
    diagOfVar,
    diagOfLam,
    offVmLamP,
    offVmLamQ,
    offPgLam,
    offQgLam,
    offPgLinkLam,
    offQgLinkLam,
    brJac,
    brHess,
    brVar,
    nRows: rows.kind.length,
    rowKind: Uint8Array.from(rows.kind),
    rowRef: Int32Array.from(rows.ref),
    rowSeg: Int32Array.from(rows.seg),
    rowPtr: Int32Array.from(rows.ptr),
    rowVar: Int32Array.from(rows.vars),
    rowGrad: new Float64Array(rows.vars.length),
    rowPairPtr,
    rowPair,
    flowRowF: rows.flowF,
    flowRowT: rows.flowT,
    objPairs,
    key: rows.key,
  };
}

function pairOffsets(vars: Int32Array, kktOfVar: Int32Array, off: (u: number, w: number) => number): Int32Array {
  const m = vars.length;
  const out = new Int32Array((m * (m + 1)) / 2);
  let p = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) out[p++] = off(kktOfVar[vars[a]], kktOfVar[vars[b]]);
  return out;
}

interface Rows {
  kind: number[];
  ref: number[];
  seg: number[];
  ptr: number[];
  vars: number[];
  flowF: Int32Array;
  flowT: Int32Array;
  key: string;
}

function buildRows(input: LayoutInput, free: Uint8Array): Rows {
  const { model, xmin, xmax, extraConstraints, linearConstraints } = input;
  const rows: Rows = {
    kind: [],
    ref: [],
    seg: [],
    ptr: [0],
    vars: [],
    flowF: new Int32Array(model.nl).fill(-1),
    flowT: new Int32Array(model.nl).fill(-1),
    key: "",
  };
  const add = (kind: RowKind, ref: number, vars: number[], seg = 0): number => {
    rows.kind.push(kind);
    rows.ref.push(ref);
    rows.seg.push(seg);
    rows.vars.push(...vars);
    rows.ptr.push(rows.vars.length);
    return rows.kind.length - 1;
  };
  const keyParts: string[] = [];
  // Variable bounds, upper then lower per variable (MIPS's ilt/igt/ibx in one list).
  for (let v = 0; v < model.nx; v++) {
    if (!free[v]) continue;
    if (xmax[v] < NO_BOUND) add(RowKind.VarUpper, v, [v]);
    if (xmin[v] > -NO_BOUND) add(RowKind.VarLower, v, [v]);
    keyParts.push(`${v}:${xmax[v] < NO_BOUND ? 1 : 0}${xmin[v] > -NO_BOUND ? 1 : 0}`);
  }
  for (let l = 0; l < model.nl; l++) {
    if (!(model.rate[l] > 0)) continue;
    const f = model.brFrom[l];
    const t = model.brTo[l];
    const vars = [f, model.iVm + f, t, model.iVm + t];
    rows.flowF[l] = add(RowKind.FlowFrom, l, vars);
    rows.flowT[l] = add(RowKind.FlowTo, l, vars);
  }
  model.angleLimits.forEach((a, k) => {
    const f = model.brFrom[a.branch];
    const t = model.brTo[a.branch];
    if (a.hi < Infinity) add(RowKind.AngleUpper, k, [f, t]);
    if (a.lo > -Infinity) add(RowKind.AngleLower, k, [f, t]);
  });
  model.costs.forEach((c, k) => {
    if (c.model !== 1) return;
    for (let s = 0; s + 1 < c.pwX.length; s++) add(RowKind.Pwl, k, [c.variable, c.yVariable], s);
  });
  extraConstraints.forEach((fn, k) => add(RowKind.Extra, k, Array.from(fn.vars)));
  linearConstraints.forEach((c, k) => add(RowKind.Linear, k, Array.from(c.vars)));
  rows.key = `${keyParts.join(",")}|${rows.kind.length}|${extraConstraints.map((f) => f.label).join(",")}|${linearConstraints.length}`;
  return rows;
}
