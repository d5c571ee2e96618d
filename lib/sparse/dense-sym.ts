/**
 * Small dense symmetric matrices (row-major, n ≤ a few dozen): eigen-decomposition by
 * the cyclic Jacobi method, which is accurate to the last bits for every eigenvalue,
 * however small — what an inertia count and a pseudo-inverse of a KKT pivot block need.
 */

/** Scratch space for `symmetricEigen` on matrices up to `capacity` × `capacity`. */
export class JacobiWorkspace {
  readonly a: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  constructor(readonly capacity: number) {
    this.a = new Float64Array(capacity * capacity);
    this.v = new Float64Array(capacity * capacity);
    this.w = new Float64Array(capacity);
  }
}

/**
 * Eigenvalues `ws.w[0..n)` and orthonormal eigenvectors (columns of `ws.v`, row-major
 * n × n) of the symmetric matrix `m` (row-major at `offset`, both triangles read).
 * Returns the number of sweeps; at most 50 (the off-diagonal mass then is below
 * 1e-30 of the matrix's in all cases seen).
 */
export function symmetricEigen(m: Float64Array, offset: number, n: number, ws: JacobiWorkspace): number {
  const { a, v, w } = ws;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = 0.5 * (m[offset + i * n + j] + m[offset + j * n + i]);
      a[i * n + j] = x;
      v[i * n + j] = i === j ? 1 : 0;
      norm += x * x;
    }
  }
  let sweeps = 0;
  for (; sweeps < 50; sweeps++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
    if (!(off > 1e-32 * norm)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // Rotation angle that zeroes a_pq (Golub & Van Loan, Algorithm 8.5.1).
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) w[i] = a[i * n + i];
  return sweeps;
}

/** Scratch space for `symmetricInverse` on matrices up to `capacity` × `capacity`. */
export class BunchKaufmanWorkspace {
  readonly a: Float64Array;
  readonly perm: Int32Array;
  /** Pivot size at each position: 1, 2 (first of a 2×2 pair) or 0 (second of a pair). */
  readonly piv: Uint8Array;
  readonly col: Float64Array;
  readonly col2: Float64Array;
  constructor(readonly capacity: number) {
    this.a = new Float64Array(capacity * capacity);
    this.perm = new Int32Array(capacity);
    this.piv = new Uint8Array(capacity);
    this.col = new Float64Array(capacity);
    this.col2 = new Float64Array(capacity);
  }
}

/** Symmetric interchange of rows and columns p and q of the n × n matrix a, and of perm. */
function swapSym(a: Float64Array, perm: Int32Array, n: number, p: number, q: number): void {
  if (p === q) return;
  for (let t = 0; t < n; t++) {
    const x = a[p * n + t];
    a[p * n + t] = a[q * n + t];
    a[q * n + t] = x;
  }
  for (let t = 0; t < n; t++) {
    const x = a[t * n + p];
    a[t * n + p] = a[t * n + q];
    a[t * n + q] = x;
  }
  const x = perm[p];
  perm[p] = perm[q];
  perm[q] = x;
}

/** Bunch and Kaufman's pivot threshold α = (1 + √17)/8, which bounds element growth. */
const BK_ALPHA = (1 + Math.sqrt(17)) / 8;

/**
 * Inverse and inertia of a small dense symmetric matrix (row-major at `offset`, both
 * triangles read as their average) by the Bunch–Kaufman factorization P A Pᵀ = L B Lᵀ
 * with 1×1 and 2×2 pivots (Bunch & Kaufman, "Some stable methods for calculating
 * inertia and solving symmetric linear systems", Math. Comp. 31, 1977). The inverse is
 * written to `inv` at `invOffset` (full, symmetric). Returns the counts of positive,
 * negative and zero pivots' eigenvalues in `inertia` ([pos, neg, zero]); with a zero
 * the inverse is not written.
 */
export function symmetricInverse(m: Float64Array, offset: number, n: number, inv: Float64Array, invOffset: number, ws: BunchKaufmanWorkspace, inertia: Int32Array): void {
  const { a, perm } = ws;
  for (let i = 0; i < n; i++) {
    perm[i] = i;
    for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (m[offset + i * n + j] + m[offset + j * n + i]);
  }
  inertia[0] = inertia[1] = inertia[2] = 0;
  if (bunchKaufmanFactor(n, ws, inertia)) invertFactored(n, ws, inv, invOffset);
}

/**
 * Factor ws.a (n × n) in place: after step k, a holds L below the pivots (strictly
 * lower) and B on its blocks, ws.piv the pivot sizes and ws.perm the interchanges.
 * Counts the pivots' eigenvalue signs in `inertia`; returns false at a zero pivot.
 */
function bunchKaufmanFactor(n: number, ws: BunchKaufmanWorkspace, inertia: Int32Array): boolean {
  const a = ws.a;
  let k = 0;
  while (k < n) {
    const size = choosePivot(n, ws, k);
    if (size === 0) {
      inertia[2]++;
      return false;
    }
    if (size === 1) {
      const d = a[k * n + k];
      if (d === 0) {
        inertia[2]++;
        return false;
      }
      if (d > 0) inertia[0]++;
      else inertia[1]++;
      eliminate1x1(n, ws, k, d);
    } else {
      const d11 = a[k * n + k];
      const d21 = a[(k + 1) * n + k];
      const d22 = a[(k + 1) * n + k + 1];
      const det = d11 * d22 - d21 * d21;
      if (det === 0 || !Number.isFinite(det)) {
        inertia[2] += 2;
        return false;
      }
      if (det < 0) {
        inertia[0]++;
        inertia[1]++;
      } else if (d11 + d22 > 0) inertia[0] += 2;
      else inertia[1] += 2;
      eliminate2x2(n, ws, k, d11, d21, d22, det);
    }
    k += size;
  }
  return true;
}

/**
 * Bunch–Kaufman's pivot choice at step k, with the symmetric interchange it calls for:
 * 1 (a 1×1 pivot), 2 (a 2×2 pivot at k, k+1) or 0 when column k is zero or not finite.
 */
function choosePivot(n: number, ws: BunchKaufmanWorkspace, k: number): number {
  const { a, perm } = ws;
  const akk = Math.abs(a[k * n + k]);
  let lambda = 0;
  let r = k;
  for (let i = k + 1; i < n; i++) {
    const x = Math.abs(a[i * n + k]);
    if (x > lambda) {
      lambda = x;
      r = i;
    }
  }
  if (Math.max(akk, lambda) === 0 || !Number.isFinite(akk + lambda)) return 0;
  if (akk >= BK_ALPHA * lambda) return 1;
  let sigma = 0;
  for (let j = k; j < n; j++) if (j !== r) sigma = Math.max(sigma, Math.abs(a[j * n + r]));
  if (akk * sigma >= BK_ALPHA * lambda * lambda) return 1; // 1×1 pivot at k, no interchange
  if (Math.abs(a[r * n + r]) >= BK_ALPHA * sigma) {
    swapSym(a, perm, n, k, r);
    return 1;
  }
  swapSym(a, perm, n, k + 1, r);
  return 2;
}

/** Eliminate with the 1×1 pivot d at k: l_i = a_ik / d, trailing block −= l cᵀ. */
function eliminate1x1(n: number, ws: BunchKaufmanWorkspace, k: number, d: number): void {
  const { a, piv, col } = ws;
  piv[k] = 1;
  for (let i = k + 1; i < n; i++) col[i] = a[i * n + k];
  for (let i = k + 1; i < n; i++) {
    const li = col[i] / d;
    for (let j = k + 1; j <= i; j++) {
      a[i * n + j] -= li * col[j];
      a[j * n + i] = a[i * n + j];
    }
    a[i * n + k] = li;
  }
}

/** Eliminate with the 2×2 pivot D = [d11 d21; d21 d22] (determinant det) at k, k+1. */
function eliminate2x2(n: number, ws: BunchKaufmanWorkspace, k: number, d11: number, d21: number, d22: number, det: number): void {
  const { a, piv, col } = ws;
  piv[k] = 2;
  piv[k + 1] = 0;
  // [l_i1 l_i2] = [a_ik a_i,k+1] D⁻¹; trailing block −= W D⁻¹ Wᵀ (W = original columns).
  const c2 = ws.col2;
  for (let i = k + 2; i < n; i++) {
    col[i] = a[i * n + k];
    c2[i] = a[i * n + k + 1];
  }
  for (let i = k + 2; i < n; i++) {
    const l1 = (col[i] * d22 - c2[i] * d21) / det;
    const l2 = (c2[i] * d11 - col[i] * d21) / det;
    for (let j = k + 2; j <= i; j++) {
      a[i * n + j] -= l1 * col[j] + l2 * c2[j];
      a[j * n + i] = a[i * n + j];
    }
    a[i * n + k] = l1;
    a[i * n + k + 1] = l2;
  }
}

/** Inverse of the factored matrix, column by column: solve A x = e_c via P, L, B; written to inv at invOffset. */
function invertFactored(n: number, ws: BunchKaufmanWorkspace, inv: Float64Array, invOffset: number): void {
  const { a, perm, piv, col } = ws;
  for (let c = 0; c < n; c++) {
    // y = P e_c: position where original index c sits.
    for (let i = 0; i < n; i++) col[i] = perm[i] === c ? 1 : 0;
    // L y = b (forward)
    for (let j = 0; j < n; j++) {
      const yj = col[j];
      if (yj === 0) continue;
      const first = piv[j] === 2 ? j + 2 : j + 1;
      // Column j of L (both columns of a 2×2 pair hold L entries below the pair).
      for (let i = first; i < n; i++) col[i] -= a[i * n + j] * yj;
    }
    // B z = y
    for (let j = 0; j < n; ) {
      if (piv[j] === 1) {
        col[j] /= a[j * n + j];
        j++;
      } else {
        const d11 = a[j * n + j];
        const d21 = a[(j + 1) * n + j];
        const d22 = a[(j + 1) * n + j + 1];
        const det = d11 * d22 - d21 * d21;
        const y1 = col[j];
        const y2 = col[j + 1];
        col[j] = (d22 * y1 - d21 * y2) / det;
        col[j + 1] = (d11 * y2 - d21 * y1) / det;
        j += 2;
      }
    }
    // Lᵀ x = z (backward)
    for (let j = n - 1; j >= 0; j--) {
      const first = piv[j] === 2 ? j + 2 : j + 1;
      let s = col[j];
      for (let i = first; i < n; i++) s -= a[i * n + j] * col[i];
      col[j] = s;
    }
    for (let i = 0; i < n; i++) inv[invOffset + perm[i] * n + c] = col[i];
  }
}
