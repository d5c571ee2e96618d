import { filledPattern, findInColumn, inversePermutation } from "./elimination-tree";
import { minimumDegreeOrder } from "./ordering";

/**
 * LU factorization A = L U of a sparse matrix of dense 2x2 blocks on a structurally
 * symmetric block pattern (the bus graph of a power system). L is unit block-lower,
 * U block-upper with the diagonal blocks D_k; pivoting happens within each 2x2
 * diagonal block only (explicit inverse), which suits power flow Jacobians.
 *
 * Everything structural is done once: a fill-reducing order, the filled pattern
 * (elimination tree), a storage slot for every block of L, D and U, and the list of
 * Schur-complement updates (target -= L_rk · U_kc) as slot triples. A numeric
 * factorization is then a straight pass over that list, in place: the caller writes
 * the matrix values into `values` at `inputSlot` positions (see `load` or
 * `writeInput`) and calls `factor`. A (near-)singular diagonal block is reported, so
 * the caller can fall back to a pivoting scalar LU.
 */
export class BlockLU2 {
  readonly n: number;
  /** perm[k] = original block index eliminated k-th; iperm is its inverse. */
  readonly perm: Int32Array;
  readonly iperm: Int32Array;
  /** Slot (block storage index) of each block of the caller's input pattern. */
  readonly inputSlot: Int32Array;
  /** Block values, 4 per slot (row-major a11 a12 a21 a22): D, then L, then U. */
  readonly values: Float64Array;
  /** Slots that are fill (not in the input pattern); zeroed by `clearFill`. */
  private readonly fillSlots: Int32Array;
  /** L(:,k) and U(k,:) share the index list Li[Lp[k]..Lp[k+1]) (symmetric pattern). */
  private readonly Lp: Int32Array;
  private readonly Li: Int32Array;
  private readonly nnzL: number;
  /** Update program: for column k, updates upd[updPtr[k]..updPtr[k+1]) of (l, u, target) slots. */
  private readonly updPtr: Int32Array;
  private readonly upd: Int32Array;
  private readonly Dinv: Float64Array;
  private readonly y: Float64Array;
  private ok = false;

  /**
   * @param colPtr/rowIdx input block pattern in CSC form (n block columns, each with its diagonal)
   * @param order optional elimination order; minimum degree on the pattern otherwise
   */
  constructor(colPtr: Int32Array, rowIdx: Int32Array, order?: Int32Array) {
    const n = colPtr.length - 1;
    this.n = n;
    const adj: number[][] = Array.from({ length: n }, () => []);
    for (let j = 0; j < n; j++) {
      for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
        if (rowIdx[p] !== j) adj[j].push(rowIdx[p]);
      }
    }
    const perm = order ?? minimumDegreeOrder(adj.map((a) => Int32Array.from(a)));
    const iperm = inversePermutation(perm);
    this.perm = perm;
    this.iperm = iperm;
    const { Lp, Li } = filledPattern(adj, perm, iperm);
    const nnzL = Lp[n];
    this.Lp = Lp;
    this.Li = Li;
    this.nnzL = nnzL;

    // Slots: D_k = k, L(r,k) = n + p, U(k,r) = n + nnzL + p, where Li[p] = r in column k.
    const slotOf = (r: number, c: number): number => {
      if (r === c) return r;
      if (r > c) {
        const p = findInColumn(Lp, Li, c, r);
        return p < 0 ? -1 : n + p;
      }
      const p = findInColumn(Lp, Li, r, c);
      return p < 0 ? -1 : n + nnzL + p;
    };
    const nSlots = n + 2 * nnzL;
    const inputSlot = new Int32Array(colPtr[n]);
    const isInput = new Uint8Array(nSlots);
    for (let j = 0; j < n; j++) {
      for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
        const s = slotOf(iperm[rowIdx[p]], iperm[j]);
        if (s < 0) throw new Error("block pattern is not structurally symmetric");
        inputSlot[p] = s;
        isInput[s] = 1;
      }
    }
    for (let k = 0; k < n; k++) {
      if (!isInput[k]) throw new RangeError("block pattern must contain every diagonal block");
    }
    const fill: number[] = [];
    for (let s = 0; s < nSlots; s++) if (!isInput[s]) fill.push(s);
    this.inputSlot = inputSlot;
    this.fillSlots = Int32Array.from(fill);

    // Update program: for each k and each pair r, c in L(:,k): (r,c) -= L(r,k) U(k,c).
    const updPtr = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      const m = Lp[k + 1] - Lp[k];
      updPtr[k + 1] = updPtr[k] + m * m;
    }
    const upd = new Int32Array(3 * updPtr[n]);
    let u = 0;
    for (let k = 0; k < n; k++) {
      for (let a = Lp[k]; a < Lp[k + 1]; a++) {
        for (let b = Lp[k]; b < Lp[k + 1]; b++) {
          upd[u++] = n + a;
          upd[u++] = n + nnzL + b;
          upd[u++] = slotOf(Li[a], Li[b]);
        }
      }
    }
    this.updPtr = updPtr;
    this.upd = upd;
    this.values = new Float64Array(4 * nSlots);
    this.Dinv = new Float64Array(4 * n);
    this.y = new Float64Array(2 * n);
  }

  /** Off-diagonal blocks stored in L and U together. */
  get nnzBlocks(): number {
    return 2 * this.nnzL;
  }
  /** Schur-complement block updates per factorization. */
  get updates(): number {
    return this.updPtr[this.n];
  }

  /** Zero the fill slots; call before writing new input values in place. */
  clearFill(): void {
    const v = this.values;
    const f = this.fillSlots;
    for (let t = 0; t < f.length; t++) {
      const s = 4 * f[t];
      v[s] = v[s + 1] = v[s + 2] = v[s + 3] = 0;
    }
  }

  /** Copy input values (4 per block of the input pattern, pattern order) into place. */
  load(input: ArrayLike<number>): void {
    this.clearFill();
    const v = this.values;
    const slot = this.inputSlot;
    for (let p = 0; p < slot.length; p++) {
      const s = 4 * slot[p];
      v[s] = input[4 * p];
      v[s + 1] = input[4 * p + 1];
      v[s + 2] = input[4 * p + 2];
      v[s + 3] = input[4 * p + 3];
    }
  }

  /**
   * Factorize in place the values currently in `values`. Returns false if a diagonal
   * block is singular or ill-conditioned (|det| <= minRcond · max|d|²).
   */
  factor(minRcond = 1e-14): boolean {
    const n = this.n;
    const { Lp, upd, updPtr, Dinv } = this;
    const v = this.values;
    this.ok = false;
    for (let k = 0; k < n; k++) {
      const k4 = 4 * k;
      const d0 = v[k4];
      const d1 = v[k4 + 1];
      const d2 = v[k4 + 2];
      const d3 = v[k4 + 3];
      const det = d0 * d3 - d1 * d2;
      const scale = Math.max(Math.abs(d0), Math.abs(d1), Math.abs(d2), Math.abs(d3));
      if (!(Math.abs(det) > minRcond * scale * scale) || !Number.isFinite(det)) return false;
      const id = 1 / det;
      const i0 = d3 * id;
      const i1 = -d1 * id;
      const i2 = -d2 * id;
      const i3 = d0 * id;
      Dinv[k4] = i0;
      Dinv[k4 + 1] = i1;
      Dinv[k4 + 2] = i2;
      Dinv[k4 + 3] = i3;
      // L(:,k) = A(:,k) D_k^-1
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const s = 4 * (n + p);
        const a0 = v[s];
        const a1 = v[s + 1];
        const a2 = v[s + 2];
        const a3 = v[s + 3];
        v[s] = a0 * i0 + a1 * i2;
        v[s + 1] = a0 * i1 + a1 * i3;
        v[s + 2] = a2 * i0 + a3 * i2;
        v[s + 3] = a2 * i1 + a3 * i3;
      }
      // Schur complement: target -= L(r,k) U(k,c)
      for (let t = 3 * updPtr[k], end = 3 * updPtr[k + 1]; t < end; t += 3) {
        const l = 4 * upd[t];
        const u = 4 * upd[t + 1];
        const g = 4 * upd[t + 2];
        const l0 = v[l];
        const l1 = v[l + 1];
        const l2 = v[l + 2];
        const l3 = v[l + 3];
        const u0 = v[u];
        const u1 = v[u + 1];
        const u2 = v[u + 2];
        const u3 = v[u + 3];
        v[g] -= l0 * u0 + l1 * u2;
        v[g + 1] -= l0 * u1 + l1 * u3;
        v[g + 2] -= l2 * u0 + l3 * u2;
        v[g + 3] -= l2 * u1 + l3 * u3;
      }
    }
    this.ok = true;
    return true;
  }

  get factored(): boolean {
    return this.ok;
  }

  /** Solve A x = b for 2n-vectors (two entries per block, original block order). */
  solve(b: ArrayLike<number>, out: Float64Array = new Float64Array(2 * this.n)): Float64Array {
    if (!this.ok) throw new Error("BlockLU2.solve before a successful factorization");
    const n = this.n;
    const { Lp, Li, Dinv, y, nnzL } = this;
    const v = this.values;
    this.permuteIn(b);
    // L y = P b (column-oriented)
    for (let k = 0; k < n; k++) {
      const y0 = y[2 * k];
      const y1 = y[2 * k + 1];
      if (y0 === 0 && y1 === 0) continue;
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const r = 2 * Li[p];
        const l = 4 * (n + p);
        y[r] -= v[l] * y0 + v[l + 1] * y1;
        y[r + 1] -= v[l + 2] * y0 + v[l + 3] * y1;
      }
    }
    // U x = y (row-oriented): x_k = D_k^-1 (y_k - sum_c U(k,c) x_c)
    for (let k = n - 1; k >= 0; k--) {
      let s0 = y[2 * k];
      let s1 = y[2 * k + 1];
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const c = 2 * Li[p];
        const u = 4 * (n + nnzL + p);
        s0 -= v[u] * y[c] + v[u + 1] * y[c + 1];
        s1 -= v[u + 2] * y[c] + v[u + 3] * y[c + 1];
      }
      const k4 = 4 * k;
      y[2 * k] = Dinv[k4] * s0 + Dinv[k4 + 1] * s1;
      y[2 * k + 1] = Dinv[k4 + 2] * s0 + Dinv[k4 + 3] * s1;
    }
    return this.permuteOut(out);
  }

  /** Solve A^T x = b. */
  solveTranspose(b: ArrayLike<number>, out: Float64Array = new Float64Array(2 * this.n)): Float64Array {
    if (!this.ok) throw new Error("BlockLU2.solveTranspose before a successful factorization");
    const n = this.n;
    const { Lp, Li, Dinv, y, nnzL } = this;
    const v = this.values;
    this.permuteIn(b);
    // U^T w = b (column-oriented on U^T): w_k = D_k^-T y_k; y_c -= U(k,c)^T w_k
    for (let k = 0; k < n; k++) {
      const k4 = 4 * k;
      const a = y[2 * k];
      const c0 = y[2 * k + 1];
      const w0 = Dinv[k4] * a + Dinv[k4 + 2] * c0;
      const w1 = Dinv[k4 + 1] * a + Dinv[k4 + 3] * c0;
      y[2 * k] = w0;
      y[2 * k + 1] = w1;
      if (w0 === 0 && w1 === 0) continue;
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const c = 2 * Li[p];
        const u = 4 * (n + nnzL + p);
        y[c] -= v[u] * w0 + v[u + 2] * w1;
        y[c + 1] -= v[u + 1] * w0 + v[u + 3] * w1;
      }
    }
    // L^T x = w (row-oriented on L^T): x_k = w_k - sum_r L(r,k)^T x_r
    for (let k = n - 1; k >= 0; k--) {
      let s0 = y[2 * k];
      let s1 = y[2 * k + 1];
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const r = 2 * Li[p];
        const l = 4 * (n + p);
        s0 -= v[l] * y[r] + v[l + 2] * y[r + 1];
        s1 -= v[l + 1] * y[r] + v[l + 3] * y[r + 1];
      }
      y[2 * k] = s0;
      y[2 * k + 1] = s1;
    }
    return this.permuteOut(out);
  }

  /** y = P b: the right-hand side in pivot order. */
  private permuteIn(b: ArrayLike<number>): void {
    const { n, perm, y } = this;
    for (let k = 0; k < n; k++) {
      y[2 * k] = b[2 * perm[k]];
      y[2 * k + 1] = b[2 * perm[k] + 1];
    }
  }

  /** out = Pᵀ y: the solution back in original block order. */
  private permuteOut(out: Float64Array): Float64Array {
    const { n, perm, y } = this;
    for (let k = 0; k < n; k++) {
      out[2 * perm[k]] = y[2 * k];
      out[2 * perm[k] + 1] = y[2 * k + 1];
    }
    return out;
  }
}
