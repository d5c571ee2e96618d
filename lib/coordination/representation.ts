import type { GenCost } from "../grid/types";
import type { LossModel } from "../regions/loss";
import { convexHull } from "../regions/polygon";
import type { PublishedRegion } from "../regions/published";
import { participation, type FlexUnit, type HalfPlane, type RegionProblem } from "../regions/units";
import { PolyBuilder, physicalPoly, type Poly } from "./poly";
import { UNIT_COST } from "../regions/exact-solver";

/**
 * What the TSO's OPF knows of one distribution system (paper 000 eq. 8c, paper 002): the
 * region its PCC exchange must stay in and the DSO's cost of that exchange. Exchange p, q
 * flow from the transmission system into the distribution system (MW, MVAr); v is the PCC
 * voltage (p.u.) for PQV regions.
 */
export type CoordMethod = "lds" | "slc" | "exact" | "pqv";

export interface DsRepresentation {
  method: CoordMethod;
  box: { pMin: number; pMax: number; qMin: number; qMax: number; vMin?: number; vMax?: number };
  /** PQ regions: the convex region a·p + b·q ≤ c. */
  halfPlanes: HalfPlane[];
  /** PQV regions: f(p, q, v) ≤ 0 inside. */
  polynomial: Poly | null;
  /**
   * PQV regions: the inner polytope a·p + b·q + c·v ≤ d (MW, MVAr, p.u.), the convex hull of
   * boundary points the AC-OPF reached (lib/regions/pqv/hull.ts). When present the TSO's OPF
   * keeps the exchange in it instead of the polynomial; without it (a region published before
   * the hull, or `--pqv-polynomial-only`), in the polynomial as paper 002 does.
   */
  hullPlanes?: { a: number; b: number; c: number; d: number }[];
  /** The DSO's cost of the exchange, $/h, over (p, q) or (p, q, v). */
  cost: Poly;
  /** How the cost was obtained (for reports). */
  costBasis: "lossless-balance" | "loss-compensated-balance" | "ac-fit";
}

export class CoordinationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CoordinationInputError";
  }
}

/** The feeder's net fixed demand the units and the PCC together supply (MW, MVAr; shunts at 1 p.u.). */
function fixedDemand(problem: RegionProblem): { p: number; q: number } {
  const net = problem.base;
  let p = 0;
  let q = 0;
  for (const b of net.buses) {
    if (b.type === "NONE") continue;
    p += b.pdMw + b.gsMw;
    q += b.qdMvar - b.bsMvar;
  }
  for (const l of net.loads) {
    p += l.pMw;
    q += l.qMvar;
  }
  for (const g of net.generators) {
    if (!g.inService || g.bus === problem.pccBus) continue;
    p -= g.pgMw;
    q -= g.qgMvar;
  }
  return { p, q };
}

function unitPCost(u: FlexUnit): number[] | null {
  const c: GenCost | undefined = u.cost;
  if (!c) return null;
  if (c.model !== 2) throw new CoordinationInputError(`unit ${u.id}: a piecewise-linear cost has no polynomial balance cost; publish the exact region (its cost is fitted)`);
  return [...c.coeffs].reverse();
}

/**
 * The DSO's cost of an exchange under LinDistFlow's lossless balance (Σ units = demand −
 * exchange) or, with the loss quadratics of U_SLC (paper 000 eq. 11-13), with the losses
 * added, the units sharing the total by participation factors (Remark 4). Each unit pays its
 * gencost for P, or else the documented deviation cost (UNIT_COST) for P and Q — the same
 * prices as the AC-OPF's least-cost dispatch. Exact polynomials in (p, q).
 */
export function balanceCost(problem: RegionProblem, loss: LossModel | null): Poly {
  const d = fixedDemand(problem);
  // Σ unit P = Dp − p + ℓp(p, q),  Σ unit Q = Dq − q + ℓq(p, q).
  let pTot = PolyBuilder.affine([-1, 0], d.p);
  let qTot = PolyBuilder.affine([0, -1], d.q);
  if (loss) {
    const quad = (H: LossModel["Hp"], g: [number, number], c: number) =>
      new PolyBuilder(2)
        .add([2, 0], 0.5 * H[0][0])
        .add([1, 1], H[0][1])
        .add([0, 2], 0.5 * H[1][1])
        .add([1, 0], g[0])
        .add([0, 1], g[1])
        .add([0, 0], c);
    pTot = pTot.plus(quad(loss.Hp, loss.gp, loss.cp));
    qTot = qTot.plus(quad(loss.Hq, loss.gq, loss.cq));
  }
  const part = participation(problem.units);
  let cost = PolyBuilder.constant(2, 0);
  problem.units.forEach((u, k) => {
    // P_k = Pmin_k + α_k (P_tot − Σ Pmin)
    const pk = pTot.plus(PolyBuilder.constant(2, -part.pMinSum)).scaled(part.alphaP[k]).plus(PolyBuilder.constant(2, u.pMinMw));
    const qk = qTot.plus(PolyBuilder.constant(2, -part.qMinSum)).scaled(part.alphaQ[k]).plus(PolyBuilder.constant(2, u.qMinMvar));
    const own = unitPCost(u);
    if (own) cost = cost.plus(pk.compose(own));
    else {
      const range = u.pMaxMw - u.pMinMw;
      if (range > 0) cost = cost.plus(pk.plus(PolyBuilder.constant(2, -u.p0Mw)).compose([0, 0, UNIT_COST.pPerRange / range]));
      const qr = u.qMaxMvar - u.qMinMvar;
      if (qr > 0) cost = cost.plus(qk.plus(PolyBuilder.constant(2, -u.q0Mvar)).compose([0, 0, UNIT_COST.qPerRange / qr]));
    }
  });
  return cost.build();
}

/** Least-squares quadratic in (p, q) through priced samples (normalized frame for conditioning). */
export function fitQuadraticCost(samples: { p: number; q: number; cost: number }[]): { poly: Poly; r2: number; rmse: number } {
  const n = samples.length;
  if (n < 6) throw new CoordinationInputError(`a quadratic cost needs at least 6 priced points, got ${n}`);
  const mean = (f: (s: (typeof samples)[number]) => number) => samples.reduce((a, s) => a + f(s), 0) / n;
  const cp = mean((s) => s.p);
  const cq = mean((s) => s.q);
  const sp = Math.max(1e-6, Math.sqrt(mean((s) => (s.p - cp) ** 2)));
  const sq = Math.max(1e-6, Math.sqrt(mean((s) => (s.q - cq) ** 2)));
  const exps = [
    [0, 0],
    [1, 0],
    [0, 1],
    [2, 0],
    [1, 1],
    [0, 2],
  ];
  const m = exps.length;
  const N = new Float64Array(m * m);
  const r = new Float64Array(m);
  const row = new Float64Array(m);
  for (const s of samples) {
    const x = (s.p - cp) / sp;
    const y = (s.q - cq) / sq;
    exps.forEach(([i, j], k) => (row[k] = x ** i * y ** j));
    for (let a = 0; a < m; a++) {
      r[a] += row[a] * s.cost;
      for (let b = 0; b < m; b++) N[a * m + b] += row[a] * row[b];
    }
  }
  for (let a = 0; a < m; a++) N[a * m + a] += 1e-12 * (N[0] || 1);
  const coeffs = solveDense(N, r, m);
  const poly: Poly = { exps, coeffs: Array.from(coeffs), centre: [cp, cq], scale: [sp, sq] };
  let ss = 0;
  let st = 0;
  const mc = mean((s) => s.cost);
  for (const s of samples) {
    let f = 0;
    const x = (s.p - cp) / sp;
    const y = (s.q - cq) / sq;
    exps.forEach(([i, j], k) => (f += coeffs[k] * x ** i * y ** j));
    ss += (f - s.cost) ** 2;
    st += (s.cost - mc) ** 2;
  }
  return { poly, r2: st > 0 ? 1 - ss / st : 1, rmse: Math.sqrt(ss / n) };
}

function solveDense(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = A.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    if (M[piv * n + c] === 0) throw new CoordinationInputError("the cost samples do not determine a quadratic (all at one point or on a line)");
    if (piv !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[piv * n + k]] = [M[piv * n + k], M[c * n + k]];
      [x[c], x[piv]] = [x[piv], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c];
    for (let k = c + 1; k < n; k++) s -= M[c * n + k] * x[k];
    x[c] = s / M[c * n + c];
  }
  return x;
}

/** PQV cost coefficients (order 1, p, q, v, p², q², v², pq, pv, qv; physical units) as a polynomial. */
export function pqvCostPoly(c: number[]): Poly {
  const e = [
    [0, 0, 0],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [2, 0, 0],
    [0, 2, 0],
    [0, 0, 2],
    [1, 1, 0],
    [1, 0, 1],
    [0, 1, 1],
  ];
  return physicalPoly(
    3,
    e.map((x, k) => [x, c[k]]),
  );
}

/**
 * A PQ region's boundary polygon as half-planes the TSO's OPF can hold: its convex hull,
 * each edge moved inward past the boundary points between its two ends. A hull edge that
 * spans a dent of the boundary is a chord outside the region: the exact region of a feeder
 * is not convex where its DER's P limit binds (p ≤ demand + losses(q), losses convex in q),
 * and on case118zh a set-point on that chord needed the DER at −7.7 kW. The moved edge
 * passes through the dent's deepest point, so the half-planes hold an inner convex region;
 * on a convex boundary nothing moves.
 */
export function polygonHalfPlanes(polygon: [number, number][]): HalfPlane[] {
  const hull = convexHull(polygon);
  const n = polygon.length;
  const onHull = new Set(hull);
  const out: HalfPlane[] = [];
  let area2 = 0;
  for (let i = 0; i < hull.length; i++) area2 += hull[i][0] * hull[(i + 1) % hull.length][1] - hull[(i + 1) % hull.length][0] * hull[i][1];
  const sign = area2 >= 0 ? 1 : -1;
  for (let i = 0; i < hull.length; i++) {
    const u = hull[i];
    const v = hull[(i + 1) % hull.length];
    const len = Math.hypot(v[0] - u[0], v[1] - u[1]);
    if (!(len > 0)) continue;
    const a = (sign * (v[1] - u[1])) / len;
    const b = (-sign * (v[0] - u[0])) / len;
    let c = a * u[0] + b * u[1];
    // The boundary's points between u and v: the chain of the polygon that meets no other hull vertex.
    const iu = polygon.indexOf(u);
    const iv = polygon.indexOf(v);
    const chain = (step: 1 | -1) => {
      const pts: [number, number][] = [];
      for (let k = (iu + step + n) % n; k !== iv; k = (k + step + n) % n) {
        if (onHull.has(polygon[k])) return null;
        pts.push(polygon[k]);
      }
      return pts;
    };
    const fwd = chain(1);
    const bwd = chain(-1);
    const between = fwd && bwd ? (fwd.length <= bwd.length ? fwd : bwd) : (fwd ?? bwd ?? []);
    let depth = 0;
    for (const [x, y] of between) depth = Math.max(depth, c - (a * x + b * y));
    c -= depth;
    out.push({ a, b, c });
  }
  return out;
}

/** A polynomial in a normalized frame expanded to physical units. */
export function toPhysicalPoly(poly: Poly): Poly {
  const d = poly.centre.length;
  let acc = PolyBuilder.constant(d, 0);
  poly.exps.forEach((e, m) => {
    let term = PolyBuilder.constant(d, poly.coeffs[m]);
    for (let i = 0; i < d; i++) {
      if (e[i] === 0) continue;
      const coeffs = new Array(d).fill(0);
      coeffs[i] = 1 / poly.scale[i];
      const xi = PolyBuilder.affine(coeffs, -poly.centre[i] / poly.scale[i]);
      for (let k = 0; k < e[i]; k++) term = term.times(xi);
    }
    acc = acc.plus(term);
  });
  return acc.build();
}

/**
 * The representation the TSO builds from a published region. PQ regions need the DSO's cost
 * of the exchange (`costModel`); PQV regions carry theirs.
 */
export function fromPublished(r: PublishedRegion): DsRepresentation {
  if (r.schema === "flexplat-pqv-region") {
    const p = r.polynomial;
    return {
      method: "pqv",
      box: { pMin: r.box.min[0], pMax: r.box.max[0], qMin: r.box.min[1], qMax: r.box.max[1], vMin: Math.max(r.box.min[2], r.vRange[0]), vMax: Math.min(r.box.max[2], r.vRange[1]) },
      halfPlanes: [],
      polynomial: { exps: p.exponents, coeffs: p.coefficients, centre: [...p.center], scale: [...p.scale] },
      hullPlanes: (r.hull?.planes ?? []).map(([a, b, c, d]) => ({ a, b, c, d })),
      cost: pqvCostPoly(r.costModel.coefficients),
      costBasis: "ac-fit",
    };
  }
  if (!r.costModel) throw new CoordinationInputError(`region ${r.regionId} carries no cost model: the DSO must publish it again with its cost`);
  const xs = r.polygon.map(([p]) => p);
  const ys = r.polygon.map(([, q]) => q);
  return {
    method: r.method,
    box: { pMin: Math.min(...xs), pMax: Math.max(...xs), qMin: Math.min(...ys), qMax: Math.max(...ys) },
    halfPlanes: polygonHalfPlanes(r.polygon),
    polynomial: null,
    cost: physicalPoly(
      2,
      r.costModel.exponents.map((e, k) => [e, r.costModel!.coefficients[k]]),
    ),
    costBasis: r.costModel.basis,
  };
}
