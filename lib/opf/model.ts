import { toPerUnit, type PuNetwork } from "../grid/per-unit";
import type { GenCost, Network } from "../grid/types";
import { branchAdmittances, type BranchAdmittances } from "../powerflow/ybus";

/**
 * MATPOWER's standard AC optimal power flow (polar voltages, generator P and Q as
 * variables) as data: which buses, branches and generators take part, the variable
 * layout, bounds, costs and limits, in per-unit of baseMVA. Built once per network
 * by `buildOpfModel`, which refuses what the OPF cannot solve with `OpfInputError`.
 *
 * Variables x = [Va (nb), Vm (nb), Pg (ng), Qg (ng), y (ny)], with y the cost of each
 * piecewise-linear cost curve (MATPOWER's "CCV" formulation: y ≥ each segment).
 */

/** Input the OPF cannot work with; the message names the element and is meant for the user. */
export class OpfInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpfInputError";
  }
}

/** A cost curve on one variable (Pg or Qg in p.u.), in $/h of the variable in MW/MVAr. */
export interface CostCurve {
  /** Variable index in x. */
  variable: number;
  /** 2: polynomial, coefficients c0, c1, ... (ascending, per MW^k); 1: piecewise linear. */
  model: 1 | 2;
  /** Polynomial coefficients, ascending powers of the MW value. */
  poly: Float64Array;
  /** Piecewise linear: breakpoints in MW/MVAr and $/h (n ≥ 2), and the y variable. */
  pwX: Float64Array;
  pwY: Float64Array;
  yVariable: number;
}

/** One inequality of the angle-difference kind: lo ≤ Va_f − Va_t ≤ hi (radians). */
export interface AngleLimit {
  branch: number;
  lo: number;
  hi: number;
}

export interface OpfModel {
  network: Network;
  pu: PuNetwork;
  baseMVA: number;
  /** Buses that take part (type ≠ 4), as network bus positions; busPos maps back (-1 if out). */
  nb: number;
  buses: Int32Array;
  busPos: Int32Array;
  /** In-service generators at participating buses, as network generator positions. */
  ng: number;
  gens: Int32Array;
  genPos: Int32Array;
  /** OPF bus index of each OPF generator. */
  genBus: Int32Array;
  /**
   * OPF bus where a linked generator's P and Q are withdrawn again (-1 for an ordinary
   * generator): a lossless transfer between two buses, e.g. the PCC exchange between a
   * transmission bus and a distribution grid's root held at its own voltage ([P000] eq. 5).
   */
  genLink: Int32Array;
  /** In-service branches between participating buses, as network branch positions. */
  nl: number;
  branches: Int32Array;
  brFrom: Int32Array;
  brTo: Int32Array;
  /** Admittances of the OPF branches (index = OPF branch). */
  y: BranchAdmittances;
  /** rateA in p.u. (0 = unlimited). */
  rate: Float64Array;
  angleLimits: AngleLimit[];
  /** Net fixed demand per OPF bus (p.u.), shunts (p.u. at V = 1). */
  pd: Float64Array;
  qd: Float64Array;
  gs: Float64Array;
  bs: Float64Array;
  refBuses: Int32Array;
  /** Variable counts and offsets. */
  nx: number;
  iVa: number;
  iVm: number;
  iPg: number;
  iQg: number;
  iY: number;
  ny: number;
  /** Default bounds (±Infinity where unbounded); Va of reference buses fixed at the case's angle. */
  xmin: Float64Array;
  xmax: Float64Array;
  costs: CostCurve[];
  /** True when every in-service generator has a cost (needed unless the caller gives an objective). */
  hasGenCosts: boolean;
}

export interface BuildOpfOptions {
  /** Require a gencost row for every in-service generator (default true). */
  requireCosts?: boolean;
  /**
   * Generators (network positions) whose injection is withdrawn at another bus (bus id):
   * lossless links coupling two buses by power only (their voltages stay independent).
   */
  links?: { generator: number; bus: number }[];
}

const DEG = Math.PI / 180;

export function buildOpfModel(net: Network, opts: BuildOpfOptions = {}): OpfModel {
  const requireCosts = opts.requireCosts ?? true;
  const pu = toPerUnit(net);
  const base = net.baseMVA;
  const busPos = new Int32Array(net.buses.length).fill(-1);
  const buses: number[] = [];
  net.buses.forEach((b, i) => {
    if (b.type !== "NONE") {
      busPos[i] = buses.length;
      buses.push(i);
    }
  });
  const nb = buses.length;
  if (nb === 0) throw new OpfInputError("the grid has no energized bus (every bus is of type 4, isolated)");

  for (const i of buses) {
    const b = net.buses[i];
    if (!(b.vminPu <= b.vmaxPu)) {
      throw new OpfInputError(`bus ${b.id}: Vmin ${b.vminPu} p.u. exceeds Vmax ${b.vmaxPu} p.u.`);
    }
    if (!(b.vmaxPu > 0)) throw new OpfInputError(`bus ${b.id}: Vmax ${b.vmaxPu} p.u. must be positive`);
  }

  const branchList: number[] = [];
  net.branches.forEach((br, l) => {
    if (!br.inService) return;
    const f = busPos[pu.brFrom[l]];
    const t = busPos[pu.brTo[l]];
    if (f < 0 || t < 0) return;
    if (br.rPu === 0 && br.xPu === 0) throw new OpfInputError(`branch ${br.id} (${br.from}-${br.to}) has zero impedance`);
    if (br.rateAMva < 0) throw new OpfInputError(`branch ${br.id} (${br.from}-${br.to}): rateA ${br.rateAMva} MVA is negative`);
    branchList.push(l);
  });
  const branches = Int32Array.from(branchList);
  const nl = branches.length;

  const genList: number[] = [];
  net.generators.forEach((g, k) => {
    if (!g.inService) return;
    const bi = busPos[pu.busIndex.get(g.bus)!];
    if (bi < 0) return;
    if (!(g.pminMw <= g.pmaxMw)) throw new OpfInputError(`generator ${g.id} at bus ${g.bus}: Pmin ${g.pminMw} MW exceeds Pmax ${g.pmaxMw} MW`);
    if (!(g.qminMvar <= g.qmaxMvar)) {
      throw new OpfInputError(`generator ${g.id} at bus ${g.bus}: Qmin ${g.qminMvar} MVAr exceeds Qmax ${g.qmaxMvar} MVAr`);
    }
    genList.push(k);
  });
  const gens = Int32Array.from(genList);
  const ng = gens.length;
  const genPos = new Int32Array(net.generators.length).fill(-1);
  gens.forEach((k, j) => (genPos[k] = j));
  const genBus = Int32Array.from(gens, (k) => busPos[pu.genBus[k]]);
  const genLink = new Int32Array(ng).fill(-1);
  for (const link of opts.links ?? []) {
    const j = link.generator >= 0 && link.generator < genPos.length ? genPos[link.generator] : -1;
    if (j < 0) throw new OpfInputError(`link: generator #${link.generator} is not an in-service generator of the grid`);
    const bi = pu.busIndex.get(link.bus);
    const lb = bi === undefined ? -1 : busPos[bi];
    if (lb < 0) throw new OpfInputError(`link of generator ${net.generators[link.generator].id}: bus ${link.bus} is not an energized bus of the grid`);
    if (lb === genBus[j]) throw new OpfInputError(`link of generator ${net.generators[link.generator].id}: it already sits at bus ${link.bus}`);
    genLink[j] = lb;
  }

  // Islands: every participating bus must reach a reference bus through in-service branches.
  const refBuses = Int32Array.from(buses.map((i, j) => (net.buses[i].type === "REF" ? j : -1)).filter((j) => j >= 0));
  if (refBuses.length === 0) throw new OpfInputError("the grid has no reference bus (type 3): the OPF needs one to fix the voltage angle");
  checkIslands(net, nb, buses, branches, busPos, pu, refBuses);

  const iVa = 0;
  const iVm = nb;
  const iPg = 2 * nb;
  const iQg = 2 * nb + ng;
  const iY = 2 * nb + 2 * ng;

  // Costs: gencost rows of the in-service generators (P block, and the Q block when given).
  const costs: CostCurve[] = [];
  let ny = 0;
  let hasGenCosts = ng > 0;
  for (let j = 0; j < ng; j++) {
    const g = net.generators[gens[j]];
    if (!g.cost) {
      hasGenCosts = false;
      if (requireCosts) {
        throw new OpfInputError(`generator ${g.id} at bus ${g.bus} has no cost: the OPF needs mpc.gencost with a row for every generator`);
      }
      continue;
    }
    costs.push(costCurve(g.cost, iPg + j, `generator ${g.id} at bus ${g.bus}`, () => iY + ny++));
    if (g.qCost) costs.push(costCurve(g.qCost, iQg + j, `generator ${g.id} at bus ${g.bus} (reactive cost)`, () => iY + ny++));
  }
  if (requireCosts && ng === 0) throw new OpfInputError("the grid has no in-service generator to dispatch");
  const nx = iY + ny;

  const xmin = new Float64Array(nx).fill(-Infinity);
  const xmax = new Float64Array(nx).fill(Infinity);
  for (let j = 0; j < nb; j++) {
    const b = net.buses[buses[j]];
    xmin[iVm + j] = b.vminPu;
    xmax[iVm + j] = b.vmaxPu;
  }
  for (const r of refBuses) {
    const va = net.buses[buses[r]].vaDeg * DEG;
    xmin[iVa + r] = va;
    xmax[iVa + r] = va;
  }
  for (let j = 0; j < ng; j++) {
    const g = net.generators[gens[j]];
    xmin[iPg + j] = g.pminMw / base;
    xmax[iPg + j] = g.pmaxMw / base;
    xmin[iQg + j] = g.qminMvar / base;
    xmax[iQg + j] = g.qmaxMvar / base;
  }

  // MATPOWER's makeAang: a limit applies where ANGMIN/ANGMAX is non-zero and within ±360°.
  const angleLimits: AngleLimit[] = [];
  for (let t = 0; t < nl; t++) {
    const br = net.branches[branches[t]];
    const lo = br.angMinDeg !== 0 && br.angMinDeg > -360 ? br.angMinDeg * DEG : -Infinity;
    const hi = br.angMaxDeg !== 0 && br.angMaxDeg < 360 ? br.angMaxDeg * DEG : Infinity;
    if (lo > hi) throw new OpfInputError(`branch ${br.id} (${br.from}-${br.to}): ANGMIN ${br.angMinDeg}° exceeds ANGMAX ${br.angMaxDeg}°`);
    if (lo > -Infinity || hi < Infinity) angleLimits.push({ branch: t, lo, hi });
  }

  const all = branchAdmittances(pu);
  const pick = (a: Float64Array) => Float64Array.from(branches, (l) => a[l]);
  const y: BranchAdmittances = {
    yffRe: pick(all.yffRe),
    yffIm: pick(all.yffIm),
    yftRe: pick(all.yftRe),
    yftIm: pick(all.yftIm),
    ytfRe: pick(all.ytfRe),
    ytfIm: pick(all.ytfIm),
    yttRe: pick(all.yttRe),
    yttIm: pick(all.yttIm),
  };
  const rate = Float64Array.from(branches, (l) => (pu.brRate[l] >= 1e10 / base ? 0 : pu.brRate[l]));

  return {
    network: net,
    pu,
    baseMVA: base,
    nb,
    buses: Int32Array.from(buses),
    busPos,
    ng,
    gens,
    genPos,
    genBus,
    genLink,
    nl,
    branches,
    brFrom: Int32Array.from(branches, (l) => busPos[pu.brFrom[l]]),
    brTo: Int32Array.from(branches, (l) => busPos[pu.brTo[l]]),
    y,
    rate,
    angleLimits,
    pd: Float64Array.from(buses, (i) => pu.pd[i]),
    qd: Float64Array.from(buses, (i) => pu.qd[i]),
    gs: Float64Array.from(buses, (i) => pu.gs[i]),
    bs: Float64Array.from(buses, (i) => pu.bs[i]),
    refBuses,
    nx,
    iVa,
    iVm,
    iPg,
    iQg,
    iY,
    ny,
    xmin,
    xmax,
    costs,
    hasGenCosts,
  };
}

function costCurve(c: GenCost, variable: number, who: string, newY: () => number): CostCurve {
  if (c.model === 2) {
    if (c.coeffs.length === 0) throw new OpfInputError(`${who}: a polynomial cost needs at least one coefficient`);
    // MATPOWER lists c(n-1) ... c0; keep ascending powers.
    const poly = Float64Array.from(c.coeffs).reverse();
    return { variable, model: 2, poly, pwX: new Float64Array(0), pwY: new Float64Array(0), yVariable: -1 };
  }
  const n = c.coeffs.length / 2;
  if (!Number.isInteger(n) || n < 2) throw new OpfInputError(`${who}: a piecewise-linear cost needs at least two (MW, $/h) points`);
  const pwX = new Float64Array(n);
  const pwY = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    pwX[s] = c.coeffs[2 * s];
    pwY[s] = c.coeffs[2 * s + 1];
  }
  let lastSlope = -Infinity;
  for (let s = 0; s + 1 < n; s++) {
    if (!(pwX[s + 1] > pwX[s])) throw new OpfInputError(`${who}: piecewise-linear cost points must have increasing MW values (${pwX[s]}, ${pwX[s + 1]})`);
    const m = (pwY[s + 1] - pwY[s]) / (pwX[s + 1] - pwX[s]);
    if (m < lastSlope - 1e-12 * Math.abs(lastSlope)) {
      throw new OpfInputError(`${who}: piecewise-linear cost is not convex (slope ${m} after ${lastSlope} $/MWh)`);
    }
    lastSlope = m;
  }
  return { variable, model: 1, poly: new Float64Array(0), pwX, pwY, yVariable: newY() };
}

function checkIslands(net: Network, nb: number, buses: number[], branches: Int32Array, busPos: Int32Array, pu: PuNetwork, refBuses: Int32Array): void {
  const adj: number[][] = Array.from({ length: nb }, () => []);
  for (const l of branches) {
    const f = busPos[pu.brFrom[l]];
    const t = busPos[pu.brTo[l]];
    adj[f].push(t);
    adj[t].push(f);
  }
  const seen = new Uint8Array(nb);
  const stack = Array.from(refBuses);
  for (const r of refBuses) seen[r] = 1;
  while (stack.length) {
    const i = stack.pop()!;
    for (const j of adj[i]) {
      if (!seen[j]) {
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
  const cut: number[] = [];
  for (let j = 0; j < nb; j++) if (!seen[j]) cut.push(net.buses[buses[j]].id);
  if (cut.length) {
    const shown = cut.slice(0, 10).join(", ") + (cut.length > 10 ? `, … (${cut.length} buses)` : "");
    throw new OpfInputError(
      `bus${cut.length > 1 ? "es" : ""} ${shown} ${cut.length > 1 ? "are" : "is"} in an island without a reference bus (type 3): connect ${cut.length > 1 ? "them" : "it"}, give the island a reference bus, or set ${cut.length > 1 ? "them" : "it"} to type 4 (isolated)`,
    );
  }
}

/** Cost in $/h of a curve at its variable's value v (p.u.), with first and second derivatives w.r.t. v. */
export function polyCost(c: CostCurve, v: number, base: number): { f: number; df: number; d2f: number } {
  const p = v * base;
  const k = c.poly;
  let f = 0;
  let d = 0;
  let d2 = 0;
  for (let j = k.length - 1; j >= 0; j--) {
    d2 = d2 * p + 2 * d;
    d = d * p + f;
    f = f * p + k[j];
  }
  return { f, df: d * base, d2f: d2 * base * base };
}
