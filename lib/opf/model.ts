import { toPerUnit, type PuNetwork } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { branchAdmittances, type BranchAdmittances } from "../powerflow/ybus";
import { type CostCurve, generatorCosts } from "./costs";
import { OpfInputError } from "./input-error";

/**
 * MATPOWER's standard AC optimal power flow (polar voltages, generator P and Q as
 * variables) as data: which buses, branches and generators take part, the variable
 * layout, bounds, costs and limits, in per-unit of baseMVA. Built once per network
 * by `buildOpfModel`, which refuses what the OPF cannot solve with `OpfInputError`.
 *
 * Variables x = [Va (nb), Vm (nb), Pg (ng), Qg (ng), y (ny)], with y the cost of each
 * piecewise-linear cost curve (MATPOWER's "CCV" formulation: y ≥ each segment).
 */

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
  const { buses, busPos } = participatingBuses(net);
  const nb = buses.length;
  const branches = participatingBranches(net, pu, busPos);
  const nl = branches.length;
  const { gens, genPos, genBus } = participatingGenerators(net, pu, busPos);
  const ng = gens.length;
  const genLink = generatorLinks(net, pu, busPos, genPos, genBus, opts.links ?? []);

  // Islands: every participating bus must reach a reference bus through in-service branches.
  const refBuses = Int32Array.from(buses.map((i, j) => (net.buses[i].type === "REF" ? j : -1)).filter((j) => j >= 0));
  if (refBuses.length === 0) throw new OpfInputError("the grid has no reference bus (type 3): the OPF needs one to fix the voltage angle");
  checkIslands(net, nb, buses, branches, busPos, pu, refBuses);

  const iVa = 0;
  const iVm = nb;
  const iPg = 2 * nb;
  const iQg = 2 * nb + ng;
  const iY = 2 * nb + 2 * ng;
  const { costs, ny, hasGenCosts } = generatorCosts(net, gens, { iPg, iQg, iY }, requireCosts);
  if (requireCosts && ng === 0) throw new OpfInputError("the grid has no in-service generator to dispatch");
  const nx = iY + ny;
  const { xmin, xmax } = variableBounds(net, buses, refBuses, gens, { nx, iVa, iVm, iPg, iQg });
  const angleLimits = branchAngleLimits(net, branches);

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
    y: pickAdmittances(branchAdmittances(pu), branches),
    rate: Float64Array.from(branches, (l) => (pu.brRate[l] >= 1e10 / base ? 0 : pu.brRate[l])),
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

/** Buses that take part (type ≠ 4) and the map back from network positions (-1 if out); checks their voltage limits. */
function participatingBuses(net: Network): { buses: number[]; busPos: Int32Array } {
  const busPos = new Int32Array(net.buses.length).fill(-1);
  const buses: number[] = [];
  net.buses.forEach((b, i) => {
    if (b.type !== "NONE") {
      busPos[i] = buses.length;
      buses.push(i);
    }
  });
  if (buses.length === 0) throw new OpfInputError("the grid has no energized bus (every bus is of type 4, isolated)");
  for (const i of buses) {
    const b = net.buses[i];
    if (!(b.vminPu <= b.vmaxPu)) {
      throw new OpfInputError(`bus ${b.id}: Vmin ${b.vminPu} p.u. exceeds Vmax ${b.vmaxPu} p.u.`);
    }
    if (!(b.vmaxPu > 0)) throw new OpfInputError(`bus ${b.id}: Vmax ${b.vmaxPu} p.u. must be positive`);
  }
  return { buses, busPos };
}

/** In-service branches between participating buses; refuses zero impedances and negative ratings. */
function participatingBranches(net: Network, pu: PuNetwork, busPos: Int32Array): Int32Array {
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
  return Int32Array.from(branchList);
}

/** In-service generators at participating buses, their positions back and their OPF buses; checks their P and Q limits. */
function participatingGenerators(net: Network, pu: PuNetwork, busPos: Int32Array): { gens: Int32Array; genPos: Int32Array; genBus: Int32Array } {
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
  const genPos = new Int32Array(net.generators.length).fill(-1);
  gens.forEach((k, j) => (genPos[k] = j));
  const genBus = Int32Array.from(gens, (k) => busPos[pu.genBus[k]]);
  return { gens, genPos, genBus };
}

/** OPF bus where each linked generator's injection is withdrawn again (-1 for an ordinary generator). */
function generatorLinks(net: Network, pu: PuNetwork, busPos: Int32Array, genPos: Int32Array, genBus: Int32Array, links: { generator: number; bus: number }[]): Int32Array {
  const genLink = new Int32Array(genBus.length).fill(-1);
  for (const link of links) {
    const j = link.generator >= 0 && link.generator < genPos.length ? genPos[link.generator] : -1;
    if (j < 0) throw new OpfInputError(`link: generator #${link.generator} is not an in-service generator of the grid`);
    const bi = pu.busIndex.get(link.bus);
    const lb = bi === undefined ? -1 : busPos[bi];
    if (lb < 0) throw new OpfInputError(`link of generator ${net.generators[link.generator].id}: bus ${link.bus} is not an energized bus of the grid`);
    if (lb === genBus[j]) throw new OpfInputError(`link of generator ${net.generators[link.generator].id}: it already sits at bus ${link.bus}`);
    genLink[j] = lb;
  }
  return genLink;
}

/** Default bounds: ±Infinity where unbounded, Vm and generator limits, Va of reference buses fixed at the case's angle. */
function variableBounds(
  net: Network,
  buses: number[],
  refBuses: Int32Array,
  gens: Int32Array,
  at: { nx: number; iVa: number; iVm: number; iPg: number; iQg: number },
): { xmin: Float64Array; xmax: Float64Array } {
  const { nx, iVa, iVm, iPg, iQg } = at;
  const base = net.baseMVA;
  const xmin = new Float64Array(nx).fill(-Infinity);
  const xmax = new Float64Array(nx).fill(Infinity);
  for (let j = 0; j < buses.length; j++) {
    const b = net.buses[buses[j]];
    xmin[iVm + j] = b.vminPu;
    xmax[iVm + j] = b.vmaxPu;
  }
  for (const r of refBuses) {
    const va = net.buses[buses[r]].vaDeg * DEG;
    xmin[iVa + r] = va;
    xmax[iVa + r] = va;
  }
  for (let j = 0; j < gens.length; j++) {
    const g = net.generators[gens[j]];
    xmin[iPg + j] = g.pminMw / base;
    xmax[iPg + j] = g.pmaxMw / base;
    xmin[iQg + j] = g.qminMvar / base;
    xmax[iQg + j] = g.qmaxMvar / base;
  }
  return { xmin, xmax };
}

/** MATPOWER's makeAang: a limit applies where ANGMIN/ANGMAX is non-zero and within ±360°. */
function branchAngleLimits(net: Network, branches: Int32Array): AngleLimit[] {
  const angleLimits: AngleLimit[] = [];
  for (let t = 0; t < branches.length; t++) {
    const br = net.branches[branches[t]];
    const lo = br.angMinDeg !== 0 && br.angMinDeg > -360 ? br.angMinDeg * DEG : -Infinity;
    const hi = br.angMaxDeg !== 0 && br.angMaxDeg < 360 ? br.angMaxDeg * DEG : Infinity;
    if (lo > hi) throw new OpfInputError(`branch ${br.id} (${br.from}-${br.to}): ANGMIN ${br.angMinDeg}° exceeds ANGMAX ${br.angMaxDeg}°`);
    if (lo > -Infinity || hi < Infinity) angleLimits.push({ branch: t, lo, hi });
  }
  return angleLimits;
}

/** Admittances of the OPF branches (index = OPF branch) out of those of all branches. */
function pickAdmittances(all: BranchAdmittances, branches: Int32Array): BranchAdmittances {
  const pick = (a: Float64Array) => Float64Array.from(branches, (l) => a[l]);
  return {
    yffRe: pick(all.yffRe),
    yffIm: pick(all.yffIm),
    yftRe: pick(all.yftRe),
    yftIm: pick(all.yftIm),
    ytfRe: pick(all.ytfRe),
    ytfIm: pick(all.ytfIm),
    yttRe: pick(all.yttRe),
    yttIm: pick(all.yttIm),
  };
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
