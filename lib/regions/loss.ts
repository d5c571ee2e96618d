import { toPerUnit } from "../grid/per-unit";
import { computeResults } from "../powerflow/results";
import { PowerFlowSolver } from "../powerflow/solver";
import { regionNetwork } from "./exact-solver";
import { evalAffine, type Affine, type LinDistFlowModel } from "./lindistflow";
import { area, clipHalfPlane, densify, type Point } from "./polygon";
import type { RegionProblem } from "./units";

/**
 * System-loss compensation (paper 000, eq. 11–13): the losses as quadratics of the PCC
 * exchange u = (p, q) in MW and MVAr,
 *   p_loss(u) = ½ uᵀ H_p u + g_pᵀ u + c_p,   q_loss(u) = ½ uᵀ H_q u + g_qᵀ u + c_q,
 * summed over the lines from LinDistFlow's affine flows P(u), Q(u) (eq. 11), each line's
 * r (P² + Q²)/Û at its sending end with Û the squared voltage LinDistFlow gives with every
 * unit at zero output (Assumption 1, "Û computed at p^g = q^g = 0"). The paper writes
 * Û = diag(C Û); DistFlow's own (2e) divides by the sending end's squared voltage, which
 * is what is used here (C Û, a voltage drop, would make the losses a thousand times larger).
 */
export interface LossModel {
  Hp: [[number, number], [number, number]];
  gp: [number, number];
  cp: number;
  Hq: [[number, number], [number, number]];
  gq: [number, number];
  cq: number;
}

export function buildLossModel(problem: RegionProblem, lds: LinDistFlowModel): LossModel {
  const net = problem.base;
  const base = net.baseMVA;
  const pu = toPerUnit(net);
  const { order, parent, parentBranch } = lds;
  // Û: LinDistFlow voltages with the units at zero (flows = subtree sums of fixed demand).
  const nb = net.buses.length;
  const sp = Float64Array.from({ length: nb }, (_, i) => (pu.pd[i] + pu.gs[i]) * base);
  const sq = Float64Array.from({ length: nb }, (_, i) => (pu.qd[i] - pu.bs[i]) * base);
  const fp = new Float64Array(nb);
  const fq = new Float64Array(nb);
  for (let k = order.length - 1; k > 0; k--) {
    const i = order[k];
    fp[i] = sp[i];
    fq[i] = sq[i];
    sp[parent[i]] += sp[i];
    sq[parent[i]] += sq[i];
  }
  const u0 = new Float64Array(nb);
  u0[order[0]] = problem.pcc.vmPu * problem.pcc.vmPu;
  for (let k = 1; k < order.length; k++) {
    const i = order[k];
    const br = net.branches[parentBranch[i]];
    u0[i] = u0[parent[i]] - (2 * (br.rPu * fp[i] + br.xPu * fq[i])) / base;
  }
  const p = quadratic();
  const q = quadratic();
  for (let k = 1; k < order.length; k++) {
    const i = order[k];
    const br = net.branches[parentBranch[i]];
    const uHat = Math.max(u0[parent[i]], 1e-6);
    // Per line, loss (MW) = r (P² + Q²) / (Û · baseMVA) with P, Q in MW.
    addLine(p, br.rPu / (uHat * base), lds.pFlow[i], lds.qFlow[i]);
    addLine(q, br.xPu / (uHat * base), lds.pFlow[i], lds.qFlow[i]);
  }
  return { Hp: p.H, gp: p.g, cp: p.c, Hq: q.H, gq: q.g, cq: q.c };
}

function quadratic() {
  return {
    H: [
      [0, 0],
      [0, 0],
    ] as [[number, number], [number, number]],
    g: [0, 0] as [number, number],
    c: 0,
  };
}

/** Add w·(P(u)² + Q(u)²) to ½uᵀHu + gᵀu + c. */
function addLine(acc: ReturnType<typeof quadratic>, w: number, P: Affine, Q: Affine): void {
  for (const f of [P, Q]) {
    acc.H[0][0] += 2 * w * f.vp * f.vp;
    acc.H[0][1] += 2 * w * f.vp * f.vq;
    acc.H[1][0] += 2 * w * f.vq * f.vp;
    acc.H[1][1] += 2 * w * f.vq * f.vq;
    acc.g[0] += 2 * w * f.v0 * f.vp;
    acc.g[1] += 2 * w * f.v0 * f.vq;
    acc.c += w * f.v0 * f.v0;
  }
}

export function evalLoss(m: LossModel, p: number, q: number): [number, number] {
  const quad = (H: LossModel["Hp"], g: [number, number], c: number) => 0.5 * (H[0][0] * p * p + 2 * H[0][1] * p * q + H[1][1] * q * q) + g[0] * p + g[1] * q + c;
  return [quad(m.Hp, m.gp, m.cp), quad(m.Hq, m.gq, m.cq)];
}

/** Maps a point of U_LDS to the exchange that also covers the losses; null where it has none. */
export type Compensation = (u: Point) => Point | null;

/**
 * The compensation by AC power flow: the units dispatched as LinDistFlow dispatches them at
 * u (participation factors), the feeder solved with the PCC as slack at its voltage, and the
 * exchange the slack delivers returned — the exact losses of that dispatch rather than
 * eq. 12–13's estimate. The quadratic model leans on Assumption 1 (voltages at zero unit
 * output) and on flows without the losses they carry; on the coordination study's feeders
 * it misses the corner exchanges by up to 0.46 MW / 0.31 MVAr (case118zh) and 28 kW /
 * 18 kVAr (case33mg), which post-coordination then meets with units beyond their limits.
 */
export function acCompensation(problem: RegionProblem, lds: LinDistFlowModel): Compensation {
  const full = regionNetwork(problem);
  const pu = toPerUnit({ ...full, generators: full.generators.slice(0, 1) });
  const solver = new PowerFlowSolver(pu);
  const base = pu.baseMVA;
  const unitBus = Int32Array.from(problem.units, (u) => pu.busIndex.get(u.bus)!);
  const inj = solver.baseInjections();
  const pd0 = inj.pd.slice();
  const qd0 = inj.qd.slice();
  let start: { vm: Float64Array; va: Float64Array } | undefined;
  return ([p, q]) => {
    inj.pd.set(pd0);
    inj.qd.set(qd0);
    problem.units.forEach((_, k) => {
      inj.pd[unitBus[k]] -= evalAffine(lds.unitP[k], p, q) / base;
      inj.qd[unitBus[k]] -= evalAffine(lds.unitQ[k], p, q) / base;
    });
    const sol = solver.solve(inj, { tol: 1e-10 }, start);
    if (sol.status !== "converged") return null;
    start = { vm: sol.vm.slice(), va: sol.va.slice() };
    const r = computeResults(solver, sol, inj, 0);
    return [r.slackPMw, r.slackQMvar];
  };
}

/**
 * U_SLC's boundary: U_LDS's boundary densified and mapped, then held to the PCC's own
 * exchange bounds (they bound the compensated exchange, which is what flows at the PCC;
 * the paper maps U_LDS's box edges too, which can put U_SLC beyond them). The density
 * doubles (8, 16, … up to 1,024 points per edge) until the area changes by less than
 * 0.05 % between doublings, so it is within 0.1 % of the limit (the error falls 4× per
 * doubling).
 */
export function compensatedBoundary(map: Compensation, ldsPolygon: Point[], pcc: RegionProblem["pcc"]): { polygon: Point[]; perEdge: number; areaChange: number } {
  if (ldsPolygon.length < 3) return { polygon: [], perEdge: 0, areaChange: 0 };
  const mapped = (k: number) =>
    clipToBox(
      densify(ldsPolygon, k)
        .map(map)
        .filter((x): x is Point => x !== null),
      pcc,
    );
  let perEdge = 8;
  let poly = mapped(perEdge);
  let a = area(poly);
  for (;;) {
    const next = mapped(perEdge * 2);
    const an = area(next);
    const change = Math.abs(an - a) / Math.max(an, 1e-12);
    perEdge *= 2;
    poly = next;
    a = an;
    if (change < 5e-4 || perEdge >= 1024) return { polygon: poly, perEdge, areaChange: change };
  }
}

/** Keep a polygon within the PCC's exchange bounds. */
export function clipToBox(poly: Point[], pcc: RegionProblem["pcc"]): Point[] {
  let out = { vertices: poly, edgeLabels: poly.map(() => -1) };
  for (const [a, b, c] of [
    [1, 0, pcc.pMaxMw],
    [-1, 0, -pcc.pMinMw],
    [0, 1, pcc.qMaxMvar],
    [0, -1, -pcc.qMinMvar],
  ] as const) {
    out = clipHalfPlane(out, a, b, c, -1);
  }
  return out.vertices;
}
