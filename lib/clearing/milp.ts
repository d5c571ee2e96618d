import type { Bid } from "./bid";
import type { DecodedOperatingPoint, LightModel } from "../sensitivity/light-model";

/**
 * The balancing-energy MILP of [P004] (eq. 11-14), written in CPLEX
 * LP format for HiGHS.
 *
 * Variables: bid activations y_j in [min(0,P_M,j), max(0,P_M,j)] (eq. 12-13, 14b-c),
 * the activated flexibility per location x = A y (A: bid-to-location incidence; [P004]'s
 * P_Flex,i + ΔP_i when point i is selected, so ΔP_i = x − P_Flex,i), and
 * binaries b_i choosing the operating point.
 *
 * Linear reformulation of the products with b_i:
 *  - (14a) Σ_i cᵀ(P_Flex,i + ΔP_i) b_i: with Σ b_i = 1 (14i) this is cᵀ x = Σ_j c_j y_j,
 *    linear, priced per bid.
 *  - (14d)-(14g) G_L,i(ΔP_i) <= L_UB b_i + L_i(1 − b_i): for b_i = 1 the limit must hold,
 *    for b_i = 0 nothing is asked. Written as L_i + LTDF_i(x − P_Flex,i) − L_UB <=
 *    M (1 − b_i) with M the largest value the left side takes over the box of bid
 *    volumes, computed by interval arithmetic, so the big-M is exact (the tightest
 *    valid constant) and the row is void at b_i = 0. Likewise the lower and the
 *    voltage limits. Rows whose prediction cannot reach the limit anywhere in the box
 *    are dropped (screening), the rest are added lazily (see clear.ts).
 *  - (14h) H_ij(ΔP_i)·b_i >= 0 with H_ij = (P_i − P_j)ᵀ(x − (P_i + P_j)/2): written as
 *    H_ij(x) >= H_min (1 − b_i), H_min the least value of H_ij over the box (big-M from
 *    the known bounds). P_Fix is the same at every point and cancels, so only the
 *    flexibility parts of P_i, P_j enter.
 *  - (14j) Σ_i (P_Flex,i + ΔP_i) = P_E for the selected point is Σ_j y_j = P_E.
 * Beyond [P004]: minimum activation / indivisible bids with a binary u_j
 * (m·u <= |y| <= |P_M|·u, or y = P_M·u); and, when the light model has reactive
 * sensitivities and bids a reactive ratio q = tan φ, the reactive injection
 * w = A diag(q) y adds VTDF_Q,i (w − Q_Flex,i) to the predictions.
 */

export interface LimitRow {
  op: number;
  kind: "v" | "l";
  side: "u" | "l";
  element: number;
  /** Prediction at the activation: constant + Σ_loc S·x + Σ_loc S_Q·w. */
  constant: number;
  /** The limit (upper or lower) and the extreme prediction over the box (big-M). */
  bound: number;
  extreme: number;
}

export interface ClearingProblem {
  lm: LightModel;
  ops: DecodedOperatingPoint[];
  bids: Bid[];
  requestMw: number;
  /** The fallback problem: no balance, maximize (1) or minimize (-1) the delivered total. */
  maximizeDelivery?: 1 | -1;
  reactive: boolean;
  /** Location index (in the light model) of each bid slot, and the bids at each slot. */
  bidLoc: number[];
  bidsAt: number[][];
  lo: Float64Array;
  hi: Float64Array;
  qlo: Float64Array;
  qhi: Float64Array;
  /** Limit rows that can bind, after screening. */
  candidates: LimitRow[];
  screenedOut: number;
  /** (14h) rows: for each ordered pair (i, j), d = P_i − P_j, constant K and H_min. */
  voronoi: { i: number; j: number; d: Float64Array; k: number; hMin: number }[];
}

export interface MilpModel {
  lp: string;
  bName: string[];
  yName: string[];
  stats: {
    variables: number;
    binaries: number;
    constraints: number;
    limitRowsInLp: number;
    limitRowsCandidates: number;
    limitRowsScreened: number;
    bidLocations: number;
    reactive: boolean;
  };
}

/** 13 significant digits: far below HiGHS's tolerances, a third shorter than round-trip text. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(13)));
}

export function prepareClearing(
  lm: LightModel,
  ops: DecodedOperatingPoint[],
  bids: Bid[],
  requestMw: number,
  opts: { reactive?: boolean; screen?: boolean; maximizeDelivery?: 1 | -1 } = {},
): ClearingProblem {
  const nLoc = lm.locations.length;
  const locIndex = new Map(lm.locations.map((id, k) => [id, k]));
  const hasQ = lm.reactive && ops.every((o) => o.vtdfQ && o.ltdfQ);
  const reactive = opts.reactive ?? (hasQ && bids.some((b) => (b.qPerP ?? 0) !== 0));
  if (reactive && !hasQ) throw new Error("reactive clearing needs a light model with reactive sensitivities");
  const screen = opts.screen ?? true;

  const bidLoc: number[] = [];
  const slot = new Map<number, number>();
  const bidsAt: number[][] = [];
  const bidLocIdx = new Int32Array(bids.length);
  bids.forEach((b, j) => {
    const k = locIndex.get(b.location);
    if (k === undefined) throw new Error(`bid ${b.id}: unknown location '${b.location}'`);
    bidLocIdx[j] = k;
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
  const candidates: LimitRow[] = [];
  let screenedOut = 0;
  const limits = lm.limits;
  ops.forEach((op, i) => {
    for (const [kind, base, S, SQ, lower, upper] of [
      ["v", op.v, op.vtdf, op.vtdfQ, limits.vMinPu, limits.vMaxPu],
      ["l", op.l, op.ltdf, op.ltdfQ, limits.loadingMinPct, limits.loadingMaxPct],
    ] as const) {
      for (let e = 0; e < base.length; e++) {
        const off = e * nLoc;
        // Prediction: c + Σ S x (+ Σ S_Q w) with c = V_i − S·P_Flex,i (− S_Q·Q_Flex,i).
        let c = base[e];
        for (let k = 0; k < nLoc; k++) {
          const pf = op.pFlexMw[k];
          if (pf !== 0) c -= S[off + k] * pf;
          if (reactive && SQ) {
            const qf = op.qFlexMvar[k];
            if (qf !== 0) c -= SQ[off + k] * qf;
          }
        }
        // Its range over the box of activations (interval arithmetic).
        let mn = c;
        let mx = c;
        for (let s = 0; s < nL; s++) {
          const a = S[off + bidLoc[s]];
          mn += a < 0 ? a * hi[s] : a * lo[s];
          mx += a < 0 ? a * lo[s] : a * hi[s];
          if (reactive && SQ && (qlo[s] !== 0 || qhi[s] !== 0)) {
            const aq = SQ[off + bidLoc[s]];
            mn += aq < 0 ? aq * qhi[s] : aq * qlo[s];
            mx += aq < 0 ? aq * qlo[s] : aq * qhi[s];
          }
        }
        if (!screen || mx > upper - 1e-9) candidates.push({ op: i, kind, side: "u", element: e, constant: c, bound: upper, extreme: mx });
        else screenedOut++;
        if (!screen || mn < lower + 1e-9) candidates.push({ op: i, kind, side: "l", element: e, constant: c, bound: lower, extreme: mn });
        else screenedOut++;
      }
    }
  });
  const voronoi: ClearingProblem["voronoi"] = [];
  ops.forEach((a, i) =>
    ops.forEach((b, j) => {
      if (i === j) return;
      const d = new Float64Array(nLoc);
      let k = 0;
      let nonzero = false;
      for (let t = 0; t < nLoc; t++) {
        d[t] = a.pFlexMw[t] - b.pFlexMw[t];
        if (d[t] !== 0) nonzero = true;
        k += d[t] * (a.pFlexMw[t] + b.pFlexMw[t]) * 0.5;
      }
      if (!nonzero) return;
      let hMin = -k;
      for (let s = 0; s < nL; s++) {
        const c = d[bidLoc[s]];
        hMin += c < 0 ? c * hi[s] : c * lo[s];
      }
      voronoi.push({ i, j, d, k, hMin });
    }),
  );
  return {
    lm,
    ops,
    bids,
    requestMw,
    maximizeDelivery: opts.maximizeDelivery,
    reactive,
    bidLoc,
    bidsAt,
    lo,
    hi,
    qlo,
    qhi,
    candidates,
    screenedOut,
    voronoi,
  };
}

function sensitivity(p: ClearingProblem, row: LimitRow): { S: Float64Array; SQ: Float64Array | undefined } {
  const op = p.ops[row.op];
  return row.kind === "v" ? { S: op.vtdf, SQ: op.vtdfQ } : { S: op.ltdf, SQ: op.ltdfQ };
}

/**
 * Limit violation of a row at an activation (per light-model location, P and Q) if
 * its point is the selected one: prediction − bound, > 0 (upper) or < 0 (lower) when
 * violated.
 */
export function limitRowValue(p: ClearingProblem, row: LimitRow, locMw: ArrayLike<number>, locMvar: ArrayLike<number>): number {
  const nLoc = p.lm.locations.length;
  const { S, SQ } = sensitivity(p, row);
  const off = row.element * nLoc;
  let v = row.constant - row.bound;
  for (const k of p.bidLoc) {
    v += S[off + k] * locMw[k];
    if (p.reactive && SQ) v += SQ[off + k] * locMvar[k];
  }
  return v;
}

export function isViolated(row: LimitRow, value: number): boolean {
  const tol = row.kind === "v" ? 1e-8 : 1e-6;
  return row.side === "u" ? value > tol : value < -tol;
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

/**
 * A group of bids that activates together: the disaggregated assets of one
 * aggregated bid. Its minimum activation applies to the sum over its bids
 * (m·u <= Σ|y| and |y_b| <= |P_M,b|·u with one binary u), indivisible means every
 * bid fully or none (y_b = P_M,b·u).
 */
export interface BidGroup {
  id: string;
  minActivationMw?: number;
  indivisible?: boolean;
}

export interface MarketLpPart {
  problem: ClearingProblem;
  rows: LimitRow[];
}

/** Tie-break step, €/MWh: above HiGHS' dual feasibility tolerance (1e-7), far below any price step. */
const TIE_BREAK_EUR_PER_MWH = 1e-6;

/**
 * Bids at the same price are taken in the order they were submitted (grid by grid, then
 * file order): the n-th bid in a direction at a price costs n·1e-6 €/MWh more in the objective (never in
 * the reported cost). Without it the MILP's optimum is a face, not a point, and HiGHS may
 * return a different equally cheap dispatch for a slightly changed model, which kept the
 * AC-verified loop re-linearizing at ever new dispatches of the same cost.
 */
function tieBreaks(bidsPerGrid: Bid[][]): Float64Array[] {
  const seen = new Map<string, number>();
  return bidsPerGrid.map((bids) =>
    Float64Array.from(bids, (b) => {
      const key = `${Math.sign(b.volumeMw)}|${b.priceEurPerMwh}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return n * TIE_BREAK_EUR_PER_MWH;
    }),
  );
}

/**
 * The LP text for one or more grids cleared together: each grid with its own
 * operating-point binaries and limit rows, one shared balance Σ y = P_E (14j), one
 * objective (14a), and the bid groups across grids.
 */
export function writeMarketLp(parts: MarketLpPart[], market: { requestMw: number; maximizeDelivery?: 1 | -1; groups?: BidGroup[] }): MilpModel & { gridB: string[][]; gridY: string[][] } {
  const rows: string[] = [];
  const bounds: string[] = [];
  const binaries: string[] = [];
  const obj = new LinearExpr();
  const bal = new LinearExpr();
  const gridB: string[][] = [];
  const gridY: string[][] = [];
  let limitRowsInLp = 0;
  let candidates = 0;
  let screened = 0;
  let bidLocations = 0;
  let variables = 0;
  let reactiveAny = false;
  const groupBids = new Map<string, { name: string; volumeMw: number }[]>();
  const row = (name: string, expr: LinearExpr, sense: "<=" | ">=" | "=", rhs: number) => {
    if (expr.empty) {
      const ok = sense === "<=" ? 0 <= rhs + 1e-12 : sense === ">=" ? 0 >= rhs - 1e-12 : Math.abs(rhs) <= 1e-12;
      if (ok) return;
      throw new Error(`clearing model: row ${name} has no variables and cannot hold`);
    }
    rows.push(` ${name}: ${expr.toString()} ${sense} ${fmt(rhs)}`);
  };
  const tie = tieBreaks(parts.map((pt) => pt.problem.bids));
  parts.forEach(({ problem: p, rows: limitRows }, g) => {
    const { ops, bids, bidLoc, bidsAt, qlo, qhi, reactive } = p;
    const pre = `g${g}_`;
    const nLoc = p.lm.locations.length;
    const nL = bidLoc.length;
    const hasW = (s: number) => reactive && (qlo[s] !== 0 || qhi[s] !== 0);
    const bName = ops.map((_, i) => `${pre}b${i}`);
    const yName = bids.map((_, j) => `${pre}y${j}`);
    const xName = (s: number) => `${pre}x${s}`;
    const wName = (s: number) => `${pre}w${s}`;
    gridB.push(bName);
    gridY.push(yName);
    reactiveAny ||= reactive;
    bidLocations += nL;
    limitRowsInLp += limitRows.length;
    candidates += p.candidates.length;
    screened += p.screenedOut;
    // (14a) / delivered total, and (14j)
    bids.forEach((b, j) => {
      obj.add(market.maximizeDelivery ? 1 : b.priceEurPerMwh + Math.sign(b.volumeMw) * tie[g][j], yName[j]);
      bal.add(1, yName[j]);
    });
    // (14i)
    const sumB = new LinearExpr();
    bName.forEach((n) => sumB.add(1, n));
    row(`${pre}pick`, sumB, "=", 1);
    // x = A y, w = A diag(q) y.
    for (let s = 0; s < nL; s++) {
      const e = new LinearExpr().add(1, xName(s));
      for (const j of bidsAt[s]) e.add(-1, yName[j]);
      row(`${pre}cpl${s}`, e, "=", 0);
      if (hasW(s)) {
        const q = new LinearExpr().add(1, wName(s));
        for (const j of bidsAt[s]) q.add(-(bids[j].qPerP ?? 0), yName[j]);
        row(`${pre}cplq${s}`, q, "=", 0);
      }
    }
    // (14d)-(14g): prediction − bound <= (extreme − bound)(1 − b_i), and >= for lower limits.
    for (const r of limitRows) {
      const { S, SQ } = sensitivity(p, r);
      const off = r.element * nLoc;
      const ex = new LinearExpr();
      for (let s = 0; s < nL; s++) {
        ex.add(S[off + bidLoc[s]], xName(s));
        if (hasW(s) && SQ) ex.add(SQ[off + bidLoc[s]], wName(s));
      }
      ex.add(r.extreme - r.bound, bName[r.op]);
      row(`${pre}${r.kind}${r.side}${r.op}_${r.element}`, ex, r.side === "u" ? "<=" : ">=", r.extreme - r.constant);
    }
    // (14h): H_ij(x) >= H_min (1 − b_i).
    for (const v of p.voronoi) {
      if (v.hMin >= 0) continue;
      const e = new LinearExpr();
      for (let s = 0; s < nL; s++) e.add(v.d[bidLoc[s]], xName(s));
      e.add(v.hMin, bName[v.i]);
      row(`${pre}h${v.i}_${v.j}`, e, ">=", v.k + v.hMin);
    }
    // Bids: bounds, their own minimum activation, group membership.
    binaries.push(...bName);
    bids.forEach((b, j) => {
      const vol = b.volumeMw;
      bounds.push(` ${fmt(Math.min(0, vol))} <= ${yName[j]} <= ${fmt(Math.max(0, vol))}`);
      if (b.groupId) {
        const list = groupBids.get(b.groupId) ?? [];
        list.push({ name: yName[j], volumeMw: vol });
        groupBids.set(b.groupId, list);
        return;
      }
      if (!(b.indivisible || (b.minActivationMw ?? 0) > 0)) return;
      const u = `${pre}u${j}`;
      binaries.push(u);
      if (b.indivisible) {
        row(`${pre}ind${j}`, new LinearExpr().add(1, yName[j]).add(-vol, u), "=", 0);
        return;
      }
      const min = b.minActivationMw!;
      row(`${pre}mxa${j}`, new LinearExpr().add(1, yName[j]).add(-vol, u), vol > 0 ? "<=" : ">=", 0);
      row(`${pre}mna${j}`, new LinearExpr().add(1, yName[j]).add(vol > 0 ? -min : min, u), vol > 0 ? ">=" : "<=", 0);
    });
    let wCount = 0;
    for (let s = 0; s < nL; s++) {
      bounds.push(` ${xName(s)} free`);
      if (hasW(s)) {
        bounds.push(` ${wName(s)} free`);
        wCount++;
      }
    }
    variables += ops.length + bids.length + nL + wCount;
  });
  if (!market.maximizeDelivery) row("balance", bal, "=", market.requestMw);
  // Groups (aggregated bids): one binary each.
  for (const grp of market.groups ?? []) {
    const members = groupBids.get(grp.id);
    if (!members?.length) continue;
    const u = `grp_${binaries.length}`;
    binaries.push(u);
    const sign = Math.sign(members[0].volumeMw);
    if (grp.indivisible) {
      members.forEach((m, k) => row(`${u}_i${k}`, new LinearExpr().add(1, m.name).add(-m.volumeMw, u), "=", 0));
      continue;
    }
    members.forEach((m, k) => row(`${u}_x${k}`, new LinearExpr().add(1, m.name).add(-m.volumeMw, u), sign > 0 ? "<=" : ">=", 0));
    if ((grp.minActivationMw ?? 0) > 0) {
      const sum = new LinearExpr();
      members.forEach((m) => sum.add(sign, m.name));
      sum.add(-grp.minActivationMw!, u);
      row(`${u}_min`, sum, ">=", 0);
    }
  }
  if (obj.empty) obj.add(1e-9, binaries[0]);
  const lp = [market.maximizeDelivery === 1 ? "Maximize" : "Minimize", ` obj: ${obj.toString()}`, "Subject To", ...rows, "Bounds", ...bounds, "Binary", ` ${binaries.join(" ")}`, "End", ""].join("\n");
  const nOps = parts.reduce((acc, x) => acc + x.problem.ops.length, 0);
  return {
    lp,
    bName: gridB.flat(),
    yName: gridY.flat(),
    gridB,
    gridY,
    stats: {
      variables: variables + (binaries.length - nOps),
      binaries: binaries.length,
      constraints: rows.length,
      limitRowsInLp,
      limitRowsCandidates: candidates,
      limitRowsScreened: screened,
      bidLocations,
      reactive: reactiveAny,
    },
  };
}
