import type { Bid } from "../market/bids";
import type { DecodedOperatingPoint, LightModel } from "../sensitivity/light-model";

/**
 * The balancing-energy MILP of the provisioning paper (eq. 11-14), written in CPLEX
 * LP format for HiGHS.
 *
 * Reformulation of the products with b_i. The paper's variables are the adjustments
 * ΔP_i around each operating point i, with P_Flex,i + ΔP_i the activated flexibility
 * when b_i = 1. We use per-point copies x_i of the activated flexibility per
 * location (x_i = (P_Flex,i + ΔP_i)·b_i, i.e. ΔP_i = x_i − P_Flex,i·b_i) and bid
 * activations y with Σ_i x_i = A y (A: bid-to-location incidence):
 *  - (12)-(13), (14b)-(14c): lo·b_i <= x_i <= hi·b_i per location, lo/hi from the
 *    bids there, so x_i = 0 whenever b_i = 0; each bid lies in [min(0,P_M), max(0,P_M)].
 *  - (14d)-(14g): L_LB·b_i <= L_i·b_i + LTDF_i·ΔP_i <= L_UB·b_i (and V likewise),
 *    the paper's G(ΔP_i) against L_LB·b_i + L_i(1−b_i) with L_i(1−b_i) moved across;
 *    linear in (x_i, b_i) because ΔP_i is.
 *  - (14h): H_ij(ΔP_i)·b_i = (P_i−P_j)ᵀ(x_i − (P_i+P_j)/2·b_i) >= 0, exactly linear in
 *    the copies (no big-M needed: this disaggregated form is the convex hull of the
 *    union of the cells, tighter than a big-M relaxation). P_Fix is the same at every
 *    point, so only the flexibility parts of P_i, P_j enter.
 *  - (14a): Σ_i cᵀ(P_Flex,i + ΔP_i) b_i = Σ_i cᵀ x_i = cᵀ y, per bid.
 *  - (14i): Σ b_i = 1; (14j): Σ y = P_E.
 * Beyond the paper: minimum activation / indivisible bids with a binary u per bid
 * (m·u <= |y| <= |P_M|·u, or y = P_M·u); and, when the light model has reactive
 * sensitivities and bids a reactive ratio q = tan φ, copies w_i of the reactive
 * injection q·y with the same b_i-gated bounds, adding VTDF_Q·ΔQ_i to (14d)-(14g).
 *
 * Rows that cannot bind are screened out exactly: for each point and monitored
 * element, the range of the linear prediction over the box of bid volumes is
 * computed; a limit row is kept only if that range reaches the limit.
 */
export interface MilpOptions {
  /** Include reactive effects (default: when the model and some bid have them). */
  reactive?: boolean;
  /** Drop the power balance (14j) and maximize (sense 1) or minimize (-1) the delivered total instead. */
  maximizeDelivery?: 1 | -1;
  /** Screen rows that cannot bind (default true). */
  screen?: boolean;
}

export interface MilpModel {
  lp: string;
  /** Column names. */
  bName: string[];
  yName: string[];
  stats: {
    variables: number;
    binaries: number;
    constraints: number;
    limitRowsKept: number;
    limitRowsScreened: number;
    bidLocations: number;
    reactive: boolean;
  };
}

/** Shortest round-trip representation; HiGHS reads exponents. */
function fmt(x: number): string {
  return String(x);
}

class LinearExpr {
  private parts: string[] = [];
  add(coef: number, name: string): this {
    if (coef === 0 || !Number.isFinite(coef)) return this;
    this.parts.push(`${coef < 0 ? "-" : "+"} ${fmt(Math.abs(coef))} ${name}`);
    return this;
  }
  get empty(): boolean {
    return this.parts.length === 0;
  }
  toString(): string {
    const s = this.parts.join(" ");
    return s.startsWith("+ ") ? s.slice(2) : s;
  }
}

export function buildClearingMilp(
  lm: LightModel,
  ops: DecodedOperatingPoint[],
  bids: Bid[],
  requestMw: number,
  opts: MilpOptions = {},
): MilpModel {
  const m = ops.length;
  const nLoc = lm.locations.length;
  const locIndex = new Map(lm.locations.map((id, k) => [id, k]));
  const hasQ = lm.reactive && ops.every((o) => o.vtdfQ && o.ltdfQ);
  const reactive = opts.reactive ?? (hasQ && bids.some((b) => (b.qPerP ?? 0) !== 0));
  if (reactive && !hasQ) throw new Error("reactive clearing needs a light model with reactive sensitivities");
  const screen = opts.screen ?? true;

  // Locations that carry bids, with their box of activated P and Q.
  const bidLoc: number[] = [];
  const slot = new Map<number, number>(); // location index -> position in bidLoc
  const bidsAt: number[][] = [];
  bids.forEach((b, j) => {
    const k = locIndex.get(b.location);
    if (k === undefined) throw new Error(`bid ${b.id}: unknown location '${b.location}'`);
    if (!slot.has(k)) {
      slot.set(k, bidLoc.length);
      bidLoc.push(k);
      bidsAt.push([]);
    }
    bidsAt[slot.get(k)!].push(j);
  });
  const nL = bidLoc.length;
  const lo = new Float64Array(nL);
  const hi = new Float64Array(nL);
  const qlo = new Float64Array(nL);
  const qhi = new Float64Array(nL);
  bidsAt.forEach((list, s) => {
    for (const j of list) {
      const v = bids[j].volumeMw;
      lo[s] += Math.min(0, v);
      hi[s] += Math.max(0, v);
      const q = reactive ? (bids[j].qPerP ?? 0) : 0;
      qlo[s] += Math.min(0, q * v);
      qhi[s] += Math.max(0, q * v);
    }
  });

  const hasW = (s: number) => qlo[s] !== 0 || qhi[s] !== 0;
  const bName = ops.map((_, i) => `b${i}`);
  const yName = bids.map((_, j) => `y${j}`);
  const xName = (i: number, s: number) => `x${i}_${s}`;
  const wName = (i: number, s: number) => `w${i}_${s}`;
  const rows: string[] = [];
  let rowCount = 0;
  const row = (name: string, expr: LinearExpr, sense: "<=" | ">=" | "=", rhs: number) => {
    if (expr.empty) {
      const ok = sense === "<=" ? 0 <= rhs + 1e-12 : sense === ">=" ? 0 >= rhs - 1e-12 : Math.abs(rhs) <= 1e-12;
      if (ok) return;
      // An empty infeasible row: keep it explicit so HiGHS reports infeasibility.
      expr = new LinearExpr().add(1, bName[0]).add(-1, bName[0]);
    }
    rows.push(` ${name}: ${expr.toString()} ${sense} ${fmt(rhs)}`);
    rowCount++;
  };

  // Objective (14a): Σ c_b y_b, or the delivered total for the fallback solve.
  const obj = new LinearExpr();
  bids.forEach((b, j) => obj.add(opts.maximizeDelivery ? 1 : b.priceEurPerMwh, yName[j]));
  if (obj.empty) obj.add(0.0, yName[0] ?? bName[0]);

  // (14i)
  const sumB = new LinearExpr();
  bName.forEach((n) => sumB.add(1, n));
  row("pick", sumB, "=", 1);
  // (14j)
  if (!opts.maximizeDelivery) {
    const bal = new LinearExpr();
    yName.forEach((n) => bal.add(1, n));
    row("balance", bal, "=", requestMw);
  }
  // Coupling Σ_i x_i = A y (and Σ_i w_i = A diag(q) y).
  for (let s = 0; s < nL; s++) {
    const e = new LinearExpr();
    for (let i = 0; i < m; i++) e.add(1, xName(i, s));
    for (const j of bidsAt[s]) e.add(-1, yName[j]);
    row(`cpl${s}`, e, "=", 0);
    if (reactive && hasW(s)) {
      const q = new LinearExpr();
      for (let i = 0; i < m; i++) q.add(1, wName(i, s));
      for (const j of bidsAt[s]) q.add(-(bids[j].qPerP ?? 0), yName[j]);
      row(`cplq${s}`, q, "=", 0);
    }
  }
  // (14b)-(14c): gated boxes.
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < nL; s++) {
      if (hi[s] > 0) row(`ub${i}_${s}`, new LinearExpr().add(1, xName(i, s)).add(-hi[s], bName[i]), "<=", 0);
      if (lo[s] < 0) row(`lb${i}_${s}`, new LinearExpr().add(1, xName(i, s)).add(-lo[s], bName[i]), ">=", 0);
      if (reactive && qhi[s] > 0) row(`qub${i}_${s}`, new LinearExpr().add(1, wName(i, s)).add(-qhi[s], bName[i]), "<=", 0);
      if (reactive && qlo[s] < 0) row(`qlb${i}_${s}`, new LinearExpr().add(1, wName(i, s)).add(-qlo[s], bName[i]), ">=", 0);
    }
  }
  // (14d)-(14g) with screening.
  let kept = 0;
  let screened = 0;
  const limitRows = (
    i: number,
    tag: string,
    base: Float64Array,
    S: Float64Array,
    SQ: Float64Array | undefined,
    lower: number,
    upper: number,
  ) => {
    const op = ops[i];
    const nE = base.length;
    for (let e = 0; e < nE; e++) {
      const off = e * nLoc;
      // Constant part: V_i − S·P_Flex,i − S_Q·Q_Flex,i over all locations.
      let c = base[e];
      for (let k = 0; k < nLoc; k++) {
        const pf = op.pFlexMw[k];
        if (pf !== 0) c -= S[off + k] * pf;
        if (SQ && reactive) {
          const qf = op.qFlexMvar[k];
          if (qf !== 0) c -= SQ[off + k] * qf;
        }
      }
      let mn = c;
      let mx = c;
      for (let s = 0; s < nL; s++) {
        const a = S[off + bidLoc[s]];
        mn += Math.min(a * lo[s], a * hi[s]);
        mx += Math.max(a * lo[s], a * hi[s]);
        if (SQ && reactive) {
          const aq = SQ[off + bidLoc[s]];
          mn += Math.min(aq * qlo[s], aq * qhi[s]);
          mx += Math.max(aq * qlo[s], aq * qhi[s]);
        }
      }
      const needUpper = !screen || mx > upper - 1e-9;
      const needLower = !screen || mn < lower + 1e-9;
      screened += (needUpper ? 0 : 1) + (needLower ? 0 : 1);
      if (!needUpper && !needLower) continue;
      const expr = () => {
        const ex = new LinearExpr();
        for (let s = 0; s < nL; s++) {
          ex.add(S[off + bidLoc[s]], xName(i, s));
          if (SQ && reactive && hasW(s)) ex.add(SQ[off + bidLoc[s]], wName(i, s));
        }
        return ex;
      };
      if (needUpper) {
        row(`${tag}u${i}_${e}`, expr().add(c - upper, bName[i]), "<=", 0);
        kept++;
      }
      if (needLower) {
        row(`${tag}l${i}_${e}`, expr().add(c - lower, bName[i]), ">=", 0);
        kept++;
      }
    }
  };
  for (let i = 0; i < m; i++) {
    const op = ops[i];
    limitRows(i, "v", op.v, op.vtdf, op.vtdfQ, lm.limits.vMinPu, lm.limits.vMaxPu);
    limitRows(i, "l", op.l, op.ltdf, op.ltdfQ, lm.limits.loadingMinPct, lm.limits.loadingMaxPct);
  }
  // (14h) Voronoi cells.
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      const pi = ops[i].pFlexMw;
      const pj = ops[j].pFlexMw;
      let dm = 0;
      let nonzero = false;
      for (let k = 0; k < nLoc; k++) {
        const d = pi[k] - pj[k];
        if (d !== 0) nonzero = true;
        dm += d * (pi[k] + pj[k]) * 0.5;
      }
      if (!nonzero) continue;
      const e = new LinearExpr();
      for (let s = 0; s < nL; s++) e.add(pi[bidLoc[s]] - pj[bidLoc[s]], xName(i, s));
      e.add(-dm, bName[i]);
      row(`h${i}_${j}`, e, ">=", 0);
    }
  }
  // Bids: bounds and minimum activation.
  const bounds: string[] = [];
  const binaries = [...bName];
  bids.forEach((b, j) => {
    const v = b.volumeMw;
    const needsU = b.indivisible || (b.minActivationMw ?? 0) > 0;
    if (!needsU) {
      bounds.push(` ${fmt(Math.min(0, v))} <= ${yName[j]} <= ${fmt(Math.max(0, v))}`);
      return;
    }
    const u = `u${j}`;
    binaries.push(u);
    bounds.push(` ${fmt(Math.min(0, v))} <= ${yName[j]} <= ${fmt(Math.max(0, v))}`);
    if (b.indivisible) {
      row(`ind${j}`, new LinearExpr().add(1, yName[j]).add(-v, u), "=", 0);
    } else {
      const min = b.minActivationMw!;
      if (v > 0) {
        row(`mxa${j}`, new LinearExpr().add(1, yName[j]).add(-v, u), "<=", 0);
        row(`mna${j}`, new LinearExpr().add(1, yName[j]).add(-min, u), ">=", 0);
      } else {
        row(`mxa${j}`, new LinearExpr().add(1, yName[j]).add(-v, u), ">=", 0);
        row(`mna${j}`, new LinearExpr().add(1, yName[j]).add(min, u), "<=", 0);
      }
    }
  });
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < nL; s++) {
      bounds.push(` ${xName(i, s)} free`);
      if (reactive && hasW(s)) bounds.push(` ${wName(i, s)} free`);
    }
  }
  const sense = opts.maximizeDelivery === 1 ? "Maximize" : "Minimize";
  const lp = [
    sense,
    ` obj: ${obj.toString()}`,
    "Subject To",
    ...rows,
    "Bounds",
    ...bounds,
    "Binary",
    ` ${binaries.join(" ")}`,
    "End",
    "",
  ].join("\n");
  return {
    lp,
    bName,
    yName,
    stats: {
      variables: m + bids.length + m * nL + (reactive ? m * bidLoc.filter((_, s) => hasW(s)).length : 0) + (binaries.length - m),
      binaries: binaries.length,
      constraints: rowCount,
      limitRowsKept: kept,
      limitRowsScreened: screened,
      bidLocations: nL,
      reactive,
    },
  };
}
