import type { Bid } from "./bid";
import type { DecodedOperatingPoint, LightModel } from "../sensitivity/light-model";

/**
 * The data of one grid's clearing problem ([P004] eq. 11-14, see milp.ts): bids
 * grouped by location, the box of their activations, the limit rows that can bind at
 * each operating point with their exact big-M, and the (14h) rows. milp.ts writes
 * the LP from it; clear.ts checks a solution against its rows.
 */

/** One grid's bids and its light model (with its operating points decoded, if the caller already has them). */
export interface GridBids {
  gridId: string;
  lightModel: LightModel;
  bids: Bid[];
  decoded?: DecodedOperatingPoint[];
}

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

/** The box of bid activations, per bid slot (location with bids): P in [lo, hi], Q in [qlo, qhi]. */
interface ActivationBox {
  /** Location index (in the light model) of each bid slot, and the bids at each slot. */
  bidLoc: number[];
  bidsAt: number[][];
  lo: Float64Array;
  hi: Float64Array;
  qlo: Float64Array;
  qhi: Float64Array;
}

export interface ClearingProblem extends ActivationBox {
  lm: LightModel;
  ops: DecodedOperatingPoint[];
  bids: Bid[];
  requestMw: number;
  /** The fallback problem: no balance, maximize (1) or minimize (-1) the delivered total. */
  maximizeDelivery?: 1 | -1;
  reactive: boolean;
  /** Limit rows that can bind, after screening. */
  candidates: LimitRow[];
  screenedOut: number;
  /** (14h) rows: for each ordered pair (i, j), d = P_i − P_j, constant K and H_min. */
  voronoi: { i: number; j: number; d: Float64Array; k: number; hMin: number }[];
}

/** Bids grouped into slots, one per light-model location that has bids, in order of first appearance. */
function bidSlots(lm: LightModel, bids: Bid[]): { bidLoc: number[]; bidsAt: number[][] } {
  const locIndex = new Map(lm.locations.map((id, k) => [id, k]));
  const bidLoc: number[] = [];
  const slot = new Map<number, number>();
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
  return { bidLoc, bidsAt };
}

function activationBox(lm: LightModel, bids: Bid[], reactive: boolean): ActivationBox {
  const { bidLoc, bidsAt } = bidSlots(lm, bids);
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
  return { bidLoc, bidsAt, lo, hi, qlo, qhi };
}

/**
 * The voltage and loading rows of every operating point ([P004] eq. 5-8 and 14d-14g)
 * with their range over the box of activations; with `screen`, rows that cannot reach
 * their limit anywhere in the box are counted in `screenedOut` and left out.
 */
function limitCandidates(lm: LightModel, ops: DecodedOperatingPoint[], box: ActivationBox, reactive: boolean, screen: boolean): { candidates: LimitRow[]; screenedOut: number } {
  const nLoc = lm.locations.length;
  const { bidLoc, lo, hi, qlo, qhi } = box;
  const nL = bidLoc.length;
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
  return { candidates, screenedOut };
}

/** The (14h) rows of [P004] eq. 10: H_ij = (P_i − P_j)ᵀ(x − (P_i + P_j)/2) with H_min, its least value over the box. */
function voronoiRows(lm: LightModel, ops: DecodedOperatingPoint[], box: ActivationBox): ClearingProblem["voronoi"] {
  const nLoc = lm.locations.length;
  const { bidLoc, lo, hi } = box;
  const nL = bidLoc.length;
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
  return voronoi;
}

export function prepareClearing(
  lm: LightModel,
  ops: DecodedOperatingPoint[],
  bids: Bid[],
  requestMw: number,
  opts: { reactive?: boolean; screen?: boolean; maximizeDelivery?: 1 | -1 } = {},
): ClearingProblem {
  const hasQ = lm.reactive && ops.every((o) => o.vtdfQ && o.ltdfQ);
  const reactive = opts.reactive ?? (hasQ && bids.some((b) => (b.qPerP ?? 0) !== 0));
  if (reactive && !hasQ) throw new Error("reactive clearing needs a light model with reactive sensitivities");
  const screen = opts.screen ?? true;
  const box = activationBox(lm, bids, reactive);
  const { candidates, screenedOut } = limitCandidates(lm, ops, box, reactive, screen);
  const voronoi = voronoiRows(lm, ops, box);
  return {
    lm,
    ops,
    bids,
    requestMw,
    maximizeDelivery: opts.maximizeDelivery,
    reactive,
    ...box,
    candidates,
    screenedOut,
    voronoi,
  };
}

/** The sensitivities (P, and Q if any) of a row's quantity at its operating point. */
export function sensitivity(p: ClearingProblem, row: LimitRow): { S: Float64Array; SQ: Float64Array | undefined } {
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
