import { findInColumn } from "../sparse/elimination-tree";
import type { PuNetwork } from "../grid/per-unit";

/**
 * Bus admittance matrix in compressed sparse row form with complex entries split
 * into real and imaginary arrays, plus the branch end admittances, as MATPOWER's
 * makeYbus: for in-service branch l with series admittance ys = 1/(r + jx), total
 * charging b and complex ratio t = tap·e^{j·shift} (at the from side)
 *   Ytt = ys + jb/2,  Yff = Ytt / |t|²,  Yft = -ys / conj(t),  Ytf = -ys / t,
 * and bus shunts (Gs + jBs)/baseMVA on the diagonal.
 */
export interface Ybus {
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  re: Float64Array;
  im: Float64Array;
  /** Position of the diagonal entry of each row. */
  diag: Int32Array;
}

export interface BranchAdmittances {
  yffRe: Float64Array;
  yffIm: Float64Array;
  yftRe: Float64Array;
  yftIm: Float64Array;
  ytfRe: Float64Array;
  ytfIm: Float64Array;
  yttRe: Float64Array;
  yttIm: Float64Array;
}

/** Branch end admittances; out-of-service branches (or `active[l] = 0`) get zeros. */
export function branchAdmittances(pu: PuNetwork, active?: Uint8Array): BranchAdmittances {
  const nl = pu.nl;
  const y: BranchAdmittances = {
    yffRe: new Float64Array(nl),
    yffIm: new Float64Array(nl),
    yftRe: new Float64Array(nl),
    yftIm: new Float64Array(nl),
    ytfRe: new Float64Array(nl),
    ytfIm: new Float64Array(nl),
    yttRe: new Float64Array(nl),
    yttIm: new Float64Array(nl),
  };
  for (let l = 0; l < nl; l++) {
    if (!(active ? active[l] : pu.brStatus[l])) continue;
    const r = pu.brR[l];
    const x = pu.brX[l];
    const d = r * r + x * x;
    const ysRe = r / d;
    const ysIm = -x / d;
    const bc = pu.brB[l];
    const tap = pu.brTap[l];
    const tRe = tap * Math.cos(pu.brShift[l]);
    const tIm = tap * Math.sin(pu.brShift[l]);
    const t2 = tRe * tRe + tIm * tIm;
    const yttRe = ysRe;
    const yttIm = ysIm + bc / 2;
    y.yttRe[l] = yttRe;
    y.yttIm[l] = yttIm;
    y.yffRe[l] = yttRe / t2;
    y.yffIm[l] = yttIm / t2;
    // -ys / conj(t) = -ys * t / |t|^2
    y.yftRe[l] = -(ysRe * tRe - ysIm * tIm) / t2;
    y.yftIm[l] = -(ysRe * tIm + ysIm * tRe) / t2;
    // -ys / t = -ys * conj(t) / |t|^2
    y.ytfRe[l] = -(ysRe * tRe + ysIm * tIm) / t2;
    y.ytfIm[l] = -(ysIm * tRe - ysRe * tIm) / t2;
  }
  return y;
}

/** Ybus over all buses from the given branch admittances (zero rows for isolated buses). */
export function buildYbus(pu: PuNetwork, br: BranchAdmittances, active?: Uint8Array): Ybus {
  const n = pu.nb;
  const nbrs: Set<number>[] = Array.from({ length: n }, (_, i) => new Set([i]));
  for (let l = 0; l < pu.nl; l++) {
    if (!(active ? active[l] : pu.brStatus[l])) continue;
    nbrs[pu.brFrom[l]].add(pu.brTo[l]);
    nbrs[pu.brTo[l]].add(pu.brFrom[l]);
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + nbrs[i].size;
  const nnz = rowPtr[n];
  const colIdx = new Int32Array(nnz);
  const diag = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cols = [...nbrs[i]].sort((a, b) => a - b);
    for (let k = 0; k < cols.length; k++) {
      colIdx[rowPtr[i] + k] = cols[k];
      if (cols[k] === i) diag[i] = rowPtr[i] + k;
    }
  }
  const re = new Float64Array(nnz);
  const im = new Float64Array(nnz);
  const pos = (i: number, j: number): number => {
    // Rows of the CSR pattern are sorted: the same search as a sorted CSC column's.
    const p = findInColumn(rowPtr, colIdx, i, j);
    if (p < 0) throw new Error("Ybus pattern error");
    return p;
  };
  for (let l = 0; l < pu.nl; l++) {
    if (!(active ? active[l] : pu.brStatus[l])) continue;
    const f = pu.brFrom[l];
    const t = pu.brTo[l];
    re[diag[f]] += br.yffRe[l];
    im[diag[f]] += br.yffIm[l];
    re[diag[t]] += br.yttRe[l];
    im[diag[t]] += br.yttIm[l];
    const ft = pos(f, t);
    re[ft] += br.yftRe[l];
    im[ft] += br.yftIm[l];
    const tf = pos(t, f);
    re[tf] += br.ytfRe[l];
    im[tf] += br.ytfIm[l];
  }
  for (let i = 0; i < n; i++) {
    re[diag[i]] += pu.gs[i];
    im[diag[i]] += pu.bs[i];
  }
  return { n, rowPtr, colIdx, re, im, diag };
}
