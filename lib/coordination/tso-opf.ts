import type { Generator, Network } from "../grid/types";
import { AcOpf, type BindingConstraint, type LinearConstraint, type LocalFunction, type OpfSolution } from "../opf";
import { polyDerivs } from "./poly";
import { CoordinationInputError, type DsRepresentation } from "./representation";

/**
 * The TSO's AC-OPF with every distribution system as its region at its PCC (paper 000
 * eq. 8; paper 002's FOR-based AC-OPF): the transmission grid's own costs plus each DSO's
 * cost of its exchange, the exchange (p, q) — and for a PQV region the PCC voltage — kept
 * in the region. Each distribution system is a dispatchable injection −(p, q) at its PCC
 * bus, replacing the bus's fixed demand when the assignment says so (the study: the
 * feeder carries that demand).
 */
export interface PccAssignment {
  /** Transmission bus id of the PCC. */
  tsBus: number;
  label: string;
  rep: DsRepresentation;
  /** Remove the bus's fixed demand (the distribution system's exchange replaces it). */
  replaceDemand: boolean;
}

export interface SetPoint {
  tsBus: number;
  label: string;
  pMw: number;
  qMvar: number;
  vPu: number;
  /** The DSO's cost model at the set-point ($/h). */
  dsCostPerH: number;
  /** LMPs at the PCC bus ($/MWh, $/MVArh). */
  lmpP: number;
  lmpQ: number;
  /** The region's limit holds with equality at the set-point. */
  onBoundary: boolean;
}

export interface TsoOpfResult {
  status: OpfSolution["status"];
  message: string;
  /** TS generation cost plus the DSOs' cost models ($/h). */
  objective: number;
  /** The transmission generators' cost alone ($/h). */
  tsCostPerH: number;
  setPoints: SetPoint[];
  /** Binding limits of the transmission grid (regions excluded). */
  binding: BindingConstraint[];
  iterations: number;
  solveMs: number;
  /** The transmission grid as solved (with the distribution systems' injections as generators). */
  network: Network;
  solution: OpfSolution;
}

/** Generator ids of the distribution systems' injections in the solved network. */
const DS_GEN_PREFIX = "ds:";

function buildTsoNetwork(ts: Network, assignments: PccAssignment[], pqvBoxMargin = 0.05): Network {
  const ids = new Set(ts.buses.map((b) => b.id));
  for (const a of assignments) {
    if (!ids.has(a.tsBus)) throw new CoordinationInputError(`${a.label}: PCC bus ${a.tsBus} is not a bus of the transmission grid ${ts.name}`);
    const bus = ts.buses.find((b) => b.id === a.tsBus)!;
    if (bus.type === "NONE") throw new CoordinationInputError(`${a.label}: PCC bus ${a.tsBus} is isolated (type 4)`);
  }
  for (const g of ts.generators) {
    if (g.inService && !g.cost) throw new CoordinationInputError(`transmission generator ${g.id} at bus ${g.bus} has no cost: the coordination needs mpc.gencost for every generator`);
  }
  const replaced = new Set(assignments.filter((a) => a.replaceDemand).map((a) => a.tsBus));
  const buses = ts.buses.map((b) => (replaced.has(b.id) ? { ...b, pdMw: 0, qdMvar: 0 } : b));
  const dsGens: Generator[] = assignments.map((a, k) => {
    const box = a.rep.box;
    // Around a PQV region the box only keeps the optimizer off the polynomial's far side (or
    // bounds the inner polytope, whose extreme points lie on it): 5 % wider, it never binds
    // together with the surface or the planes it bounds (which stalls the interior point on
    // degenerate multipliers). A PQ region's box is its own extent.
    const m = a.rep.polynomial ? pqvBoxMargin : 0;
    const dp = m * (box.pMax - box.pMin);
    const dq = m * (box.qMax - box.qMin);
    return {
      id: `${DS_GEN_PREFIX}${k}`,
      bus: a.tsBus,
      pgMw: -(box.pMin + box.pMax) / 2,
      qgMvar: -(box.qMin + box.qMax) / 2,
      pminMw: -box.pMax - dp,
      pmaxMw: -box.pMin + dp,
      qminMvar: -box.qMax - dq,
      qmaxMvar: -box.qMin + dq,
      vgPu: 1,
      mBase: ts.baseMVA,
      inService: true,
    };
  });
  return { ...ts, buses, loads: ts.loads.filter((l) => !replaced.has(l.bus)), generators: [...ts.generators, ...dsGens] };
}

export interface TsoOpfOptions {
  /** Start each exchange here (MW, MVAr, p.u.), e.g. at a previous round's set-points. */
  start?: { pMw: number; qMvar: number; vPu: number }[];
  /** How much wider than a PQV region's box its exchange may go (share of the box; default 0.05). */
  pqvBoxMargin?: number;
}

export function solveTsoOpf(ts: Network, assignments: PccAssignment[], opts: TsoOpfOptions = {}): TsoOpfResult {
  const net = buildTsoNetwork(ts, assignments, opts.pqvBoxMargin);
  const opf = new AcOpf(net, { requireCosts: false });
  const m = opf.model;
  const b = m.baseMVA;
  const first = ts.generators.length;
  const vars = assignments.map((a, k) => {
    const j = m.genPos[first + k];
    const iV = m.iVm + m.busPos[net.buses.findIndex((x) => x.id === a.tsBus)];
    return { iP: m.iPg + j, iQ: m.iQg + j, iV };
  });
  const extra: LocalFunction[] = [];
  const rows: LinearConstraint[] = [];
  const objective: LocalFunction[] = [];
  assignments.forEach((a, k) => {
    const { iP, iQ, iV } = vars[k];
    const rep = a.rep;
    // Exchange (p, q) = −(Pg, Qg)·baseMVA.
    for (const h of rep.halfPlanes) {
      const n = Math.hypot(h.a, h.b);
      rows.push({ vars: Int32Array.of(iP, iQ), coeffs: Float64Array.of((-h.a * b) / n, (-h.b * b) / n), upper: h.c / n, label: `region of ${a.label}` });
    }
    const three = rep.polynomial !== null || rep.cost.centre.length === 3;
    if (three) {
      opf.xmin[iV] = Math.max(opf.xmin[iV], rep.box.vMin ?? -Infinity);
      opf.xmax[iV] = Math.min(opf.xmax[iV], rep.box.vMax ?? Infinity);
      if (!(opf.xmin[iV] <= opf.xmax[iV])) {
        throw new CoordinationInputError(`${a.label}: the region's PCC voltage range does not meet bus ${a.tsBus}'s limits`);
      }
    }
    const hull = rep.hullPlanes ?? [];
    for (const h of hull) {
      // a·p + b·q + c·v ≤ d with p = −Pg·base, q = −Qg·base, scaled to a unit normal in p.u.
      const n = Math.hypot(h.a * b, h.b * b, h.c);
      rows.push({ vars: Int32Array.of(iP, iQ, iV), coeffs: Float64Array.of((-h.a * b) / n, (-h.b * b) / n, h.c / n), upper: h.d / n, label: `region of ${a.label}` });
    }
    if (rep.polynomial && hull.length === 0) {
      extra.push(exchangeFunction(rep.polynomial, [iP, iQ, iV], b, `region of ${a.label}`));
    }
    objective.push(exchangeFunction(rep.cost, three ? [iP, iQ, iV] : [iP, iQ], b, `cost of ${a.label}`));
  });
  opf.objective = { genCosts: true, linear: null, extra: objective };
  opf.extraConstraints = extra;
  opf.linearConstraints = rows;
  // PQV regions are not convex, and from a cold start the interior point walks off into the
  // polynomials' far side (measured on the 29-feeder study: stuck at 776 $/h). First the
  // transmission grid's OPF with each PQV region as its box, then from that solution with
  // the polynomials.
  let phase1: OpfSolution | null = null;
  const start = new Map<number, number>();
  assignments.forEach((_a, k) => {
    const st = opts.start?.[k];
    if (!st) return;
    start.set(vars[k].iP, -st.pMw / b);
    start.set(vars[k].iQ, -st.qMvar / b);
    start.set(vars[k].iV, st.vPu);
  });
  if (extra.length) {
    opf.extraConstraints = [];
    phase1 = opf.solve({ initial: start });
    opf.extraConstraints = extra;
  }
  const s = phase1 && (phase1.status === "optimal" || phase1.acceptable) ? opf.solve({ warmStart: phase1.warmStart }) : opf.solve({ initial: start });
  if (phase1) s.solveMs += phase1.solveMs;
  const x = s.x;
  let tsCost = 0;
  for (const g of ts.generators) {
    if (!g.inService || !g.cost) continue;
    const k = net.generators.indexOf(g);
    tsCost += genCost(g.cost.coeffs, g.cost.model, s.pgMw[k]);
  }
  const busIdx = new Map(net.buses.map((bb, i) => [bb.id, i]));
  const setPoints: SetPoint[] = assignments.map((a, k) => {
    const { iP, iQ, iV } = vars[k];
    const p = -x[iP] * b;
    const q = -x[iQ] * b;
    const v = x[iV];
    const point = a.rep.cost.centre.length === 3 ? [p, q, v] : [p, q];
    const i = busIdx.get(a.tsBus)!;
    const onBoundary = s.binding.some((c) => c.kind === "extra" && c.element === `region of ${a.label}`) || s.binding.some((c) => c.element === `${DS_GEN_PREFIX}${k}`);
    return { tsBus: a.tsBus, label: a.label, pMw: p, qMvar: q, vPu: v, dsCostPerH: polyDerivs(a.rep.cost, point), lmpP: s.lamP[i], lmpQ: s.lamQ[i], onBoundary };
  });
  const binding = s.binding.filter((c) => !(c.kind === "extra" || c.element.startsWith(DS_GEN_PREFIX)));
  return { status: s.status, message: s.message, objective: s.objective, tsCostPerH: tsCost, setPoints, binding, iterations: s.iterations, solveMs: s.solveMs, network: net, solution: s };
}

/** $/h of a MATPOWER gencost row at P (MW). */
export function genCost(coeffs: number[], model: 1 | 2, pMw: number): number {
  if (model === 2) return coeffs.reduce((acc, c) => acc * pMw + c, 0);
  const n = coeffs.length / 2;
  for (let s = 0; s + 1 < n; s++) {
    const [x0, y0, x1, y1] = [coeffs[2 * s], coeffs[2 * s + 1], coeffs[2 * s + 2], coeffs[2 * s + 3]];
    if (pMw <= x1 || s + 2 === n) return y0 + ((y1 - y0) * (pMw - x0)) / (x1 - x0);
  }
  return NaN;
}

/**
 * A polynomial of the exchange (p, q[, v]) as a function of the OPF's p.u. variables
 * (Pg, Qg[, Vm]) with p = −Pg·base, q = −Qg·base, v = Vm.
 */
function exchangeFunction(poly: DsRepresentation["cost"], vars: number[], base: number, label: string): LocalFunction {
  const d = vars.length;
  const chain = [-base, -base, 1].slice(0, d);
  const u = new Float64Array(d);
  const g = new Float64Array(d);
  const h = new Float64Array((d * (d + 1)) / 2);
  return {
    vars: Int32Array.from(vars),
    label,
    evaluate(x, grad, hess) {
      for (let i = 0; i < d; i++) u[i] = x[i] * chain[i];
      const f = polyDerivs(poly, u, g, h);
      for (let i = 0; i < d; i++) {
        grad[i] = g[i] * chain[i];
        for (let j = 0; j <= i; j++) hess[(i * (i + 1)) / 2 + j] = h[(i * (i + 1)) / 2 + j] * chain[i] * chain[j];
      }
      return f;
    },
  };
}
