import { toPerUnit } from "../grid/per-unit";
import { boxPolygon, clipHalfPlane, type LabelledPolygon } from "./polygon";
import { participation, RegionInputError, type RegionProblem } from "./units";

/**
 * The LinDistFlow model of a radial feeder (paper 000, eq. 4 and 9–10): with the losses
 * dropped, every state is an affine function of the PCC exchange u = (p, q), x = A⁻¹(b − Bu).
 * A radial feeder's A⁻¹ needs no matrix: the units supply what the PCC does not
 * (Σ p_g = ΣP_d − p), line flows are subtree sums, and squared voltages follow
 * U_child = U_parent − 2(r P + x Q) from the PCC. Several units share the supply by
 * participation factors proportional to their ranges (Remark 4, `participation`).
 */

export type LinearRowKind = "vmax" | "vmin" | "unit-pmax" | "unit-pmin" | "unit-qmax" | "unit-qmin" | "unit-chart" | "pcc-pmax" | "pcc-pmin" | "pcc-qmax" | "pcc-qmin";

/** a·p + b·q ≤ c in MW and MVAr. */
export interface LinearRow {
  a: number;
  b: number;
  c: number;
  kind: LinearRowKind;
  /** Bus id or unit id the row belongs to. */
  element: string;
}

/** An affine function v(u) = v0 + vp·p + vq·q of the PCC exchange (u in MW, MVAr). */
export interface Affine {
  v0: number;
  vp: number;
  vq: number;
}

export interface LinDistFlowModel {
  /** Tree order from the PCC: for each non-PCC bus (network position) its parent position and branch. */
  order: Int32Array;
  parent: Int32Array;
  parentBranch: Int32Array;
  /** Line flows (MW / MVAr, sending end at the parent) and squared voltages per bus, affine in u. */
  pFlow: Affine[];
  qFlow: Affine[];
  uSq: Affine[];
  /** Each unit's injection, affine in u (participation dispatch). */
  unitP: Affine[];
  unitQ: Affine[];
  rows: LinearRow[];
  /** U_LDS: the polygon (counter-clockwise) and, per edge, the row it lies on (-1 when a PCC box side). */
  polygon: LabelledPolygon;
  baseMVA: number;
}

const affine = (v0: number, vp: number, vq: number): Affine => ({ v0, vp, vq });

/** The tree of a radial feeder from the PCC; refuses meshed or disconnected grids by name. */
function radialTree(problem: RegionProblem) {
  const net = problem.base;
  const idx = new Map(net.buses.map((b, i) => [b.id, i]));
  const active = net.buses.filter((b) => b.type !== "NONE").length;
  const inService = net.branches.filter((br) => br.inService && net.buses[idx.get(br.from)!].type !== "NONE" && net.buses[idx.get(br.to)!].type !== "NONE");
  if (inService.length !== active - 1) {
    throw new RegionInputError(
      `LinDistFlow applies to radial feeders only: this grid has ${inService.length} branches in service for ${active} buses (a radial feeder has ${active - 1}); use the exact region for meshed grids`,
    );
  }
  const adj: { to: number; branch: number }[][] = net.buses.map(() => []);
  net.branches.forEach((br, l) => {
    if (!br.inService) return;
    const f = idx.get(br.from)!;
    const t = idx.get(br.to)!;
    adj[f].push({ to: t, branch: l });
    adj[t].push({ to: f, branch: l });
  });
  const root = idx.get(problem.pccBus)!;
  const parent = new Int32Array(net.buses.length).fill(-2);
  const parentBranch = new Int32Array(net.buses.length).fill(-1);
  parent[root] = -1;
  const order: number[] = [root];
  for (let k = 0; k < order.length; k++) {
    for (const { to, branch } of adj[order[k]]) {
      if (parent[to] !== -2) continue;
      parent[to] = order[k];
      parentBranch[to] = branch;
      order.push(to);
    }
  }
  if (order.length !== active) throw new RegionInputError(`the feeder is not connected: ${active - order.length} buses cannot be reached from the PCC`);
  return { order: Int32Array.from(order), parent, parentBranch, idx };
}

export function buildLinDistFlow(problem: RegionProblem): LinDistFlowModel {
  const net = problem.base;
  const pu = toPerUnit(net);
  const base = net.baseMVA;
  const { order, parent, parentBranch, idx } = radialTree(problem);
  const nb = net.buses.length;
  const units = problem.units;
  const part = participation(units);
  // Fixed demand (MW) with shunts taken at 1 p.u.; lossless balance: Σ p_g = ΣPd − p.
  const pdMw = Float64Array.from({ length: nb }, (_, i) => (pu.pd[i] + pu.gs[i]) * base);
  const qdMvar = Float64Array.from({ length: nb }, (_, i) => (pu.qd[i] - pu.bs[i]) * base);
  let pdSum = 0;
  let qdSum = 0;
  for (const i of order) {
    pdSum += pdMw[i];
    qdSum += qdMvar[i];
  }
  // p_k(u) = p_min,k + α_k (ΣPd − p − Σp_min): affine in p only; q likewise.
  const unitP = units.map((u, k) => affine(u.pMinMw + part.alphaP[k] * (pdSum - part.pMinSum), -part.alphaP[k], 0));
  const unitQ = units.map((u, k) => affine(u.qMinMvar + part.alphaQ[k] * (qdSum - part.qMinSum), 0, -part.alphaQ[k]));
  // Net demand per bus, affine in u.
  const dP: Affine[] = Array.from({ length: nb }, (_, i) => affine(pdMw[i], 0, 0));
  const dQ: Affine[] = Array.from({ length: nb }, (_, i) => affine(qdMvar[i], 0, 0));
  units.forEach((u, k) => {
    const i = idx.get(u.bus)!;
    dP[i] = sub(dP[i], unitP[k]);
    dQ[i] = sub(dQ[i], unitQ[k]);
  });
  // Line flows: subtree sums of net demand, leaves first.
  const pFlow: Affine[] = Array.from({ length: nb }, () => affine(0, 0, 0));
  const qFlow: Affine[] = Array.from({ length: nb }, () => affine(0, 0, 0));
  const subP = dP.map((a) => ({ ...a }));
  const subQ = dQ.map((a) => ({ ...a }));
  for (let k = order.length - 1; k > 0; k--) {
    const i = order[k];
    pFlow[i] = subP[i];
    qFlow[i] = subQ[i];
    subP[parent[i]] = add(subP[parent[i]], subP[i]);
    subQ[parent[i]] = add(subQ[parent[i]], subQ[i]);
  }
  // Squared voltages from the PCC: U_child = U_parent − 2 (r P + x Q) (p.u.; flows in MW / base).
  const uSq: Affine[] = Array.from({ length: nb }, () => affine(0, 0, 0));
  uSq[order[0]] = affine(problem.pcc.vmPu * problem.pcc.vmPu, 0, 0);
  for (let k = 1; k < order.length; k++) {
    const i = order[k];
    const l = parentBranch[i];
    const r = net.branches[l].rPu;
    const x = net.branches[l].xPu;
    const drop = add(scale(pFlow[i], (2 * r) / base), scale(qFlow[i], (2 * x) / base));
    uSq[i] = sub(uSq[parent[i]], drop);
  }
  const rows = linearRows(problem, order, uSq, unitP, unitQ);
  let polygon = boxPolygon(problem.pcc.pMinMw, problem.pcc.pMaxMw, problem.pcc.qMinMvar, problem.pcc.qMaxMvar);
  rows.forEach((row, k) => {
    if (row.kind.startsWith("pcc-")) return; // the start box already is the PCC bounds
    polygon = clipHalfPlane(polygon, row.a, row.b, row.c, k);
  });
  return { order, parent, parentBranch, pFlow, qFlow, uSq, unitP, unitQ, rows, polygon, baseMVA: base };
}

function linearRows(problem: RegionProblem, order: Int32Array, uSq: Affine[], unitP: Affine[], unitQ: Affine[]): LinearRow[] {
  const net = problem.base;
  const rows: LinearRow[] = [];
  // v(u) ≤ hi  ⇔  vp·p + vq·q ≤ hi − v0.
  const upper = (v: Affine, hi: number, kind: LinearRowKind, element: string) => rows.push({ a: v.vp, b: v.vq, c: hi - v.v0, kind, element });
  const lower = (v: Affine, lo: number, kind: LinearRowKind, element: string) => rows.push({ a: -v.vp, b: -v.vq, c: v.v0 - lo, kind, element });
  const pcc = problem.pcc;
  rows.push({ a: 1, b: 0, c: pcc.pMaxMw, kind: "pcc-pmax", element: String(problem.pccBus) });
  rows.push({ a: -1, b: 0, c: -pcc.pMinMw, kind: "pcc-pmin", element: String(problem.pccBus) });
  rows.push({ a: 0, b: 1, c: pcc.qMaxMvar, kind: "pcc-qmax", element: String(problem.pccBus) });
  rows.push({ a: 0, b: -1, c: -pcc.qMinMvar, kind: "pcc-qmin", element: String(problem.pccBus) });
  for (let k = 1; k < order.length; k++) {
    const b = net.buses[order[k]];
    upper(uSq[order[k]], b.vmaxPu * b.vmaxPu, "vmax", String(b.id));
    lower(uSq[order[k]], b.vminPu * b.vminPu, "vmin", String(b.id));
  }
  problem.units.forEach((u, k) => {
    upper(unitP[k], u.pMaxMw, "unit-pmax", u.id);
    lower(unitP[k], u.pMinMw, "unit-pmin", u.id);
    upper(unitQ[k], u.qMaxMvar, "unit-qmax", u.id);
    lower(unitQ[k], u.qMinMvar, "unit-qmin", u.id);
    for (const h of u.chart) {
      // a·p_k + b·q_k ≤ c with p_k, q_k affine in u.
      rows.push({ a: h.a * unitP[k].vp + h.b * unitQ[k].vp, b: h.a * unitP[k].vq + h.b * unitQ[k].vq, c: h.c - h.a * unitP[k].v0 - h.b * unitQ[k].v0, kind: "unit-chart", element: u.id });
    }
  });
  return rows;
}

function add(a: Affine, b: Affine): Affine {
  return affine(a.v0 + b.v0, a.vp + b.vp, a.vq + b.vq);
}
function sub(a: Affine, b: Affine): Affine {
  return affine(a.v0 - b.v0, a.vp - b.vp, a.vq - b.vq);
}
function scale(a: Affine, s: number): Affine {
  return affine(a.v0 * s, a.vp * s, a.vq * s);
}

/** Evaluate an affine map at u = (p, q). */
export function evalAffine(a: Affine, p: number, q: number): number {
  return a.v0 + a.vp * p + a.vq * q;
}
