/**
 * Power flowing into one end of a branch, with analytic first and second derivatives
 * with respect to the local voltages (θ_self, V_self, θ_other, V_other):
 *
 *   S = V_s conj(y_ss V_s + y_so V_o)
 *   P = V_s² G + V_s V_o (g cos θ + b sin θ),   Q = −V_s² B + V_s V_o (g sin θ − b cos θ)
 *
 * with y_ss = G + jB, y_so = g + jb and θ = θ_s − θ_o (MATPOWER's Sf = V_f conj(Yf V)).
 * Hessians are packed lower triangles in the order (0,0) (1,0) (1,1) (2,0) (2,1) (2,2)
 * (3,0) (3,1) (3,2) (3,3).
 */
export interface EndFlow {
  p: number;
  q: number;
  /** ∂P/∂(θs, Vs, θo, Vo) and ∂Q/∂(...). */
  dp: Float64Array;
  dq: Float64Array;
  /** Packed lower triangles of ∇²P and ∇²Q. */
  hp: Float64Array;
  hq: Float64Array;
}

export function newEndFlow(): EndFlow {
  return {
    p: 0,
    q: 0,
    dp: new Float64Array(4),
    dq: new Float64Array(4),
    hp: new Float64Array(10),
    hq: new Float64Array(10),
  };
}

/** Fill `out` for one branch end. */
export function endFlow(G: number, B: number, g: number, b: number, thetaSelf: number, vSelf: number, thetaOther: number, vOther: number, out: EndFlow): void {
  const th = thetaSelf - thetaOther;
  const c = Math.cos(th);
  const s = Math.sin(th);
  const A = g * c + b * s;
  const Bt = g * s - b * c;
  const a = vSelf;
  const o = vOther;
  const ao = a * o;
  out.p = a * a * G + ao * A;
  out.q = -a * a * B + ao * Bt;
  const dp = out.dp;
  dp[0] = -ao * Bt;
  dp[1] = 2 * a * G + o * A;
  dp[2] = ao * Bt;
  dp[3] = a * A;
  const dq = out.dq;
  dq[0] = ao * A;
  dq[1] = -2 * a * B + o * Bt;
  dq[2] = -ao * A;
  dq[3] = a * Bt;
  const hp = out.hp;
  hp[0] = -ao * A;
  hp[1] = -o * Bt;
  hp[2] = 2 * G;
  hp[3] = ao * A;
  hp[4] = o * Bt;
  hp[5] = -ao * A;
  hp[6] = -a * Bt;
  hp[7] = A;
  hp[8] = a * Bt;
  hp[9] = 0;
  const hq = out.hq;
  hq[0] = -ao * Bt;
  hq[1] = o * A;
  hq[2] = -2 * B;
  hq[3] = ao * Bt;
  hq[4] = -o * A;
  hq[5] = -ao * Bt;
  hq[6] = a * A;
  hq[7] = Bt;
  hq[8] = -a * A;
  hq[9] = 0;
}

/** Index of (i, j) in a packed lower triangle (any order of i, j). */
export function packedIndex(i: number, j: number): number {
  return i >= j ? (i * (i + 1)) / 2 + j : (j * (j + 1)) / 2 + i;
}
