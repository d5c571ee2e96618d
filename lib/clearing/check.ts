import type { Bid } from "./bid";
import type { DecodedOperatingPoint, LightModel } from "../sensitivity/light-model";

/**
 * Independent check of a dispatch against the constraints of [P004] eq. 12-14 at one
 * operating point, evaluated directly from the light model (not from the LP text):
 * bid bounds, minimum activation, balance, limits through G_V,i / G_L,i, and the
 * Voronoi cell H_ij >= 0. Returns the largest violation of each kind (0 = satisfied).
 */
export interface DispatchCheck {
  bounds: number;
  minActivation: number;
  balance: number;
  voltagePu: number;
  loadingPct: number;
  voronoi: number;
  costEur: number;
}

export function checkDispatch(
  lm: LightModel,
  ops: DecodedOperatingPoint[],
  bids: Bid[],
  activatedMw: ArrayLike<number>,
  opIndex: number,
  requestMw: number,
  opts: { reactive?: boolean } = {},
): DispatchCheck {
  const nLoc = lm.locations.length;
  const locIndex = new Map(lm.locations.map((id, k) => [id, k]));
  const x = new Float64Array(nLoc);
  const q = new Float64Array(nLoc);
  let bounds = 0;
  let minActivation = 0;
  let total = 0;
  let cost = 0;
  bids.forEach((b, j) => {
    const y = activatedMw[j];
    const lo = Math.min(0, b.volumeMw);
    const hi = Math.max(0, b.volumeMw);
    bounds = Math.max(bounds, lo - y, y - hi);
    const mag = Math.abs(y);
    if (b.indivisible && mag > 1e-9) minActivation = Math.max(minActivation, Math.abs(b.volumeMw) - mag);
    if (b.minActivationMw && mag > 1e-9) minActivation = Math.max(minActivation, b.minActivationMw - mag);
    const k = locIndex.get(b.location)!;
    x[k] += y;
    q[k] += (b.qPerP ?? 0) * y;
    total += y;
    cost += b.priceEurPerMwh * y;
  });
  const op = ops[opIndex];
  const withQ = !!opts.reactive && !!op.vtdfQ;
  const range = (base: Float64Array, S: Float64Array, SQ: Float64Array | undefined, lo: number, hi: number) => {
    let worst = 0;
    for (let e = 0; e < base.length; e++) {
      let v = base[e];
      for (let k = 0; k < nLoc; k++) {
        v += S[e * nLoc + k] * (x[k] - op.pFlexMw[k]);
        if (withQ && SQ) v += SQ[e * nLoc + k] * (q[k] - op.qFlexMvar[k]);
      }
      worst = Math.max(worst, lo - v, v - hi);
    }
    return worst;
  };
  let voronoi = 0;
  ops.forEach((other, j) => {
    if (j === opIndex) return;
    let h = 0;
    for (let k = 0; k < nLoc; k++) h += (op.pFlexMw[k] - other.pFlexMw[k]) * (x[k] - (op.pFlexMw[k] + other.pFlexMw[k]) / 2);
    voronoi = Math.max(voronoi, -h);
  });
  return {
    bounds: Math.max(0, bounds),
    minActivation: Math.max(0, minActivation),
    balance: Math.abs(total - requestMw),
    voltagePu: Math.max(0, range(op.v, op.vtdf, op.vtdfQ, lm.limits.vMinPu, lm.limits.vMaxPu)),
    loadingPct: Math.max(0, range(op.l, op.ltdf, op.ltdfQ, lm.limits.loadingMinPct, lm.limits.loadingMaxPct)),
    voronoi: Math.max(0, voronoi),
    costEur: cost,
  };
}
