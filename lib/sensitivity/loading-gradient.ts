import type { PowerFlowSolver } from "../powerflow";

/** Signed loading of each branch and which end carries the larger |S| (for derivatives). */
interface LoadingGradient {
  /** d(loading %)/d(theta_f, theta_t, v_f, v_t) per monitored branch, 4 per branch. */
  g: Float64Array;
}

/**
 * Derivatives of the signed loading (%) of each branch with respect to the voltage angles
 * and magnitudes at its two ends, at a power flow solution (vm, va): chained with the
 * Jacobian solves, they give the LTDF.
 */
export function loadingGradients(solver: PowerFlowSolver, branches: Int32Array, vm: Float64Array, va: Float64Array): LoadingGradient {
  const pu = solver.pu;
  const y = solver.branchY;
  const g = new Float64Array(4 * branches.length);
  for (let m = 0; m < branches.length; m++) {
    const l = branches[m];
    const f = pu.brFrom[l];
    const t = pu.brTo[l];
    const vf = vm[f];
    const vt = vm[t];
    const d = va[f] - va[t];
    const c = Math.cos(d);
    const s = Math.sin(d);
    // S_f = conj(Yff) vf^2 + conj(Yft) vf vt e^{j d} ; S_t = conj(Ytt) vt^2 + conj(Ytf) vf vt e^{-j d}
    const aRe = y.yftRe[l] * c + y.yftIm[l] * s; // conj(Yft) e^{jd}
    const aIm = y.yftRe[l] * s - y.yftIm[l] * c;
    const bRe = y.ytfRe[l] * c - y.ytfIm[l] * s; // conj(Ytf) e^{-jd}
    const bIm = -y.ytfRe[l] * s - y.ytfIm[l] * c;
    const sfRe = y.yffRe[l] * vf * vf + aRe * vf * vt;
    const sfIm = -y.yffIm[l] * vf * vf + aIm * vf * vt;
    const stRe = y.yttRe[l] * vt * vt + bRe * vf * vt;
    const stIm = -y.yttIm[l] * vt * vt + bIm * vf * vt;
    const magF = Math.hypot(sfRe, sfIm);
    const magT = Math.hypot(stRe, stIm);
    const rate = pu.brRate[l];
    const sign = sfRe >= 0 ? 1 : -1;
    // Derivatives of the end with the larger |S| w.r.t. (theta_f, theta_t, v_f, v_t).
    let dRe: number[];
    let dIm: number[];
    let mag: number;
    let pRe: number;
    let pIm: number;
    if (magF >= magT) {
      mag = magF;
      pRe = sfRe;
      pIm = sfIm;
      // dS_f/dtheta_f = j A vf vt, dS_f/dtheta_t = -j A vf vt, dS_f/dvf = 2 conj(Yff) vf + A vt, dS_f/dvt = A vf
      dRe = [-aIm * vf * vt, aIm * vf * vt, 2 * y.yffRe[l] * vf + aRe * vt, aRe * vf];
      dIm = [aRe * vf * vt, -aRe * vf * vt, -2 * y.yffIm[l] * vf + aIm * vt, aIm * vf];
    } else {
      mag = magT;
      pRe = stRe;
      pIm = stIm;
      // S_t depends on -d: dS_t/dtheta_f = -j B vf vt, dS_t/dtheta_t = j B vf vt
      dRe = [bIm * vf * vt, -bIm * vf * vt, bRe * vt, 2 * y.yttRe[l] * vt + bRe * vf];
      dIm = [-bRe * vf * vt, bRe * vf * vt, bIm * vt, -2 * y.yttIm[l] * vt + bIm * vf];
    }
    if (mag === 0 || !(rate > 0)) continue;
    const k = (sign * 100) / (rate * mag);
    for (let e = 0; e < 4; e++) g[4 * m + e] = k * (pRe * dRe[e] + pIm * dIm[e]);
  }
  return { g };
}
