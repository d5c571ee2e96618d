import { multiply4, multiplyRight, subtractMatVec, subtractNT, subtractNT4, subtractTransposedMatVec } from "./block-kernels";
import { blockLdlLayout, entryCoordinates, updateProgram } from "./block-ldl-layout";
import { BunchKaufmanWorkspace, symmetricInverse } from "./dense-sym";
import { filledPattern, findInColumn, inversePermutation } from "./elimination-tree";
import { minimumDegreeOrder } from "./ordering";

/**
 * Sparse symmetric indefinite factorization A = L D Lᵀ over dense blocks of varying
 * size on a block graph (for the OPF's KKT matrix: one block per bus holding its
 * voltage, generator and multiplier unknowns). D is block diagonal and each of its
 * blocks is inverted through a Bunch–Kaufman factorization, so pivoting happens inside the
 * blocks (where the power-balance rows meet the voltages they depend on) while the
 * fill-reducing block order is kept. Sylvester's law of inertia gives the inertia of
 * A as the sum of the blocks' — what an interior-point method's inertia correction
 * needs.
 *
 * The symbolic part (`BlockLdlPattern`: order, filled pattern) depends on the graph
 * only; `BlockLdl` adds storage for given block sizes and an update program, so a
 * new numeric factorization is one pass over precomputed offsets.
 */
export class BlockLdlPattern {
  readonly n: number;
  /** perm[k] = block eliminated k-th; iperm is its inverse. */
  readonly perm: Int32Array;
  readonly iperm: Int32Array;
  /** Column k (pivot order) of L has row blocks Li[Lp[k]..Lp[k+1]) (pivot order, ascending). */
  readonly Lp: Int32Array;
  readonly Li: Int32Array;

  /** @param adjacency neighbour lists of the block graph (no self loops needed) */
  constructor(adjacency: ArrayLike<number>[], order?: Int32Array) {
    const n = adjacency.length;
    this.n = n;
    const perm = order ?? minimumDegreeOrder(adjacency);
    if (perm.length !== n) throw new RangeError("block order has the wrong length");
    const iperm = inversePermutation(perm);
    this.perm = perm;
    this.iperm = iperm;
    const { Lp, Li } = filledPattern(adjacency, perm, iperm);
    this.Lp = Lp;
    this.Li = Li;
  }

  /** Position p of row block r (pivot order) in column k, or -1. */
  find(k: number, r: number): number {
    return findInColumn(this.Lp, this.Li, k, r);
  }
}

export interface Inertia {
  positive: number;
  negative: number;
  zero: number;
}

export class BlockLdl {
  readonly pattern: BlockLdlPattern;
  /** Unknowns in all (dimension of A); unknown u of block b is start[b] + slot. */
  readonly dim: number;
  readonly sizes: Int32Array;
  readonly start: Int32Array;
  readonly blockOf: Int32Array;
  /** Values in factor storage: for pivot k its diagonal block (lower triangle written by callers), then its L blocks. */
  readonly values: Float64Array;
  /** The values as assembled, kept by `factor` for residuals (`multiplyAssembled`). */
  private readonly assembled: Float64Array;
  private readonly dOff: Int32Array;
  private readonly lOff: Int32Array;
  /** Pivot-order start of each pivot's unknowns in the permuted vector. */
  private readonly pStart: Int32Array;
  private readonly dinv: Float64Array;
  private readonly dinvOff: Int32Array;
  /** Update program: for pivot k, pairs updPtr[k]..updPtr[k+1) of (a, b, target offset). */
  private readonly updPtr: Int32Array;
  private readonly upd: Int32Array;
  private readonly scratch: Float64Array;
  private readonly y: Float64Array;
  /** Symmetric equilibration S of the last factorization (A ≈ S⁻¹ (L D Lᵀ) S⁻¹). */
  private readonly scale: Float64Array;
  private readonly rowMax: Float64Array;
  private readonly entryRow: Int32Array;
  private readonly nzList: Int32Array;
  private scaled = false;
  private readonly entryCol: Int32Array;
  private readonly ws: BunchKaufmanWorkspace;
  private readonly counts = new Int32Array(3);
  private readonly tmp: Float64Array;
  private ok = false;
  /** Largest |entry| of the matrix as assembled for the last factorization. */
  assembledMax = 0;

  constructor(pattern: BlockLdlPattern, sizes: Int32Array) {
    const n = pattern.n;
    if (sizes.length !== n) throw new RangeError("one size per block");
    this.pattern = pattern;
    this.sizes = sizes;
    const layout = blockLdlLayout(pattern, sizes);
    this.start = layout.start;
    this.dim = layout.dim;
    this.blockOf = layout.blockOf;
    this.dOff = layout.dOff;
    this.lOff = layout.lOff;
    this.pStart = layout.pStart;
    this.dinvOff = layout.dinvOff;
    this.values = new Float64Array(layout.size);
    this.assembled = new Float64Array(layout.size);
    this.dinv = new Float64Array(layout.dinvOff[n]);
    this.scratch = new Float64Array(layout.maxCol);
    this.y = new Float64Array(this.dim);
    this.scale = new Float64Array(this.dim).fill(1);
    this.rowMax = new Float64Array(this.dim);
    this.nzList = new Int32Array(layout.size);
    const { entryRow, entryCol } = entryCoordinates(pattern, sizes, layout);
    this.entryRow = entryRow;
    this.entryCol = entryCol;
    this.ws = new BunchKaufmanWorkspace(layout.maxPivot);
    this.tmp = new Float64Array(layout.maxPivot);
    const { updPtr, upd } = updateProgram(pattern, layout);
    this.updPtr = updPtr;
    this.upd = upd;
  }

  /** Storage offset of entry (u, v) of the symmetric matrix (either order), or -1 outside the pattern. */
  offset(u: number, v: number): number {
    const bu = this.blockOf[u];
    const bv = this.blockOf[v];
    const su = u - this.start[bu];
    const sv = v - this.start[bv];
    const { iperm } = this.pattern;
    const pu = iperm[bu];
    const pv = iperm[bv];
    if (pu === pv) {
      const s = this.sizes[bu];
      return su >= sv ? this.dOff[pu] + su * s + sv : this.dOff[pu] + sv * s + su;
    }
    if (pu > pv) {
      const p = this.pattern.find(pv, pu);
      return p < 0 ? -1 : this.lOff[p] + su * this.sizes[bv] + sv;
    }
    const p = this.pattern.find(pu, pv);
    return p < 0 ? -1 : this.lOff[p] + sv * this.sizes[bu] + su;
  }

  /**
   * Factorize the assembled values in place (after symmetric equilibration). Pivot
   * blocks are inverted by Bunch–Kaufman; a pivot counts as zero only when it is
   * exactly zero (or, for 1×1 blocks, at most `zeroTol` after scaling): an interior
   * point's KKT blocks legitimately hold pivots 1e-18 of their largest, and callers
   * judge a solve by its residual instead. Returns the inertia; the factors are usable
   * (`solve`) only when `zero` is 0.
   */
  factor(zeroTol = 0): Inertia {
    if (!(zeroTol >= 0)) throw new RangeError("zeroTol must be non-negative");
    this.prepareValues();
    const n = this.pattern.n;
    const { perm } = this.pattern;
    const inertia: Inertia = { positive: 0, negative: 0, zero: 0 };
    for (let k = 0; k < n; k++) {
      const s = this.sizes[perm[k]];
      if (s === 0) continue;
      if (!this.invertPivot(k, s, zeroTol, inertia)) {
        this.ok = false;
        return inertia;
      }
      this.eliminateColumn(k, s);
    }
    this.ok = inertia.zero === 0;
    return inertia;
  }

  get factored(): boolean {
    return this.ok;
  }

  /**
   * Keep the values as assembled (for residuals), note their largest entry, equilibrate
   * them and mirror the lower triangle that callers write of each diagonal block.
   */
  private prepareValues(): void {
    const v = this.values;
    this.assembled.set(v);
    // One pass: the largest entry, and the list of nonzero positions for the scaling sweeps.
    let amax = 0;
    let nnz = 0;
    const nzList = this.nzList;
    for (let t = 0; t < v.length; t++) {
      const e = v[t];
      if (e === 0) continue;
      nzList[nnz++] = t;
      const a = Math.abs(e);
      if (a > amax) amax = a;
    }
    this.assembledMax = amax;
    this.equilibrate(nnz);
    const { perm, n } = this.pattern;
    const { sizes, dOff } = this;
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      const d = dOff[k];
      for (let i = 0; i < s; i++) for (let j = 0; j < i; j++) v[d + j * s + i] = v[d + i * s + j];
    }
  }

  /**
   * Invert pivot k's diagonal block (size s) into `dinv` and add its eigenvalues' signs to
   * `inertia`. Returns false when the factorization cannot go on: a non-finite 1×1 pivot
   * (then every unknown counts as zero) or a singular larger block (the remaining
   * unknowns stay uncounted).
   */
  private invertPivot(k: number, s: number, zeroTol: number, inertia: Inertia): boolean {
    const v = this.values;
    const d = this.dOff[k];
    const di = this.dinvOff[k];
    if (s === 1) {
      const x = v[d];
      if (!Number.isFinite(x)) {
        inertia.positive = 0;
        inertia.negative = 0;
        inertia.zero = this.dim;
        return false;
      }
      if (Math.abs(x) <= zeroTol || x === 0) inertia.zero++;
      else if (x > 0) inertia.positive++;
      else inertia.negative++;
      this.dinv[di] = x === 0 ? 0 : 1 / x;
      return true;
    }
    const counts = this.counts;
    symmetricInverse(v, d, s, this.dinv, di, this.ws, counts);
    inertia.positive += counts[0];
    inertia.negative += counts[1];
    inertia.zero += counts[2];
    return counts[2] === 0;
  }

  /** L(:,k) = A(:,k) D⁻¹, then the Schur complement A(ra, rb) −= L(ra,k) W(rb,k)ᵀ, W = A(:,k) kept in scratch. */
  private eliminateColumn(k: number, s: number): void {
    const { perm, Lp, Li } = this.pattern;
    const { sizes, lOff, dinv, updPtr, upd, scratch } = this;
    const v = this.values;
    const di = this.dinvOff[k];
    const p0 = Lp[k];
    const p1 = Lp[k + 1];
    if (p0 === p1) return;
    const w0 = lOff[p0];
    const len = lOff[p1 - 1] + sizes[perm[Li[p1 - 1]]] * s - w0;
    for (let t = 0; t < len; t++) scratch[t] = v[w0 + t];
    // All rows of the column at once: L = W D⁻¹, W being rows·s values from scratch.
    if (s === 4) multiply4(scratch, len / 4, dinv, di, v, w0);
    else multiplyRight(scratch, len / s, s, dinv, di, v, w0);
    for (let t = 3 * updPtr[k], end = 3 * updPtr[k + 1]; t < end; t += 3) {
      const a = upd[t];
      const b = upd[t + 1];
      const sa = sizes[perm[Li[a]]];
      const sb = sizes[perm[Li[b]]];
      if (s === 4) subtractNT4(v, lOff[a], scratch, lOff[b] - w0, v, upd[t + 2], sa, sb);
      else subtractNT(v, lOff[a], scratch, lOff[b] - w0, v, upd[t + 2], sa, sb, s);
    }
  }

  /** Solve A x = b (unknowns in block order). `out` may alias nothing else. */
  solve(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    if (!this.ok) throw new Error("BlockLdl.solve before a successful factorization");
    const n = this.pattern.n;
    const { perm, Lp, Li } = this.pattern;
    const { sizes, start, lOff, pStart, y, scale } = this;
    const v = this.values;
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      const from = start[perm[k]];
      const to = pStart[k];
      for (let i = 0; i < s; i++) y[to + i] = b[from + i] * scale[from + i];
    }
    // L z = P b
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      for (let p = Lp[k]; p < Lp[k + 1]; p++) subtractMatVec(v, lOff[p], sizes[perm[Li[p]]], s, y, pStart[k], y, pStart[Li[p]]);
    }
    // D w = z, then Lᵀ x = w
    for (let k = n - 1; k >= 0; k--) this.backSubstitute(k);
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      const to = start[perm[k]];
      const from = pStart[k];
      for (let i = 0; i < s; i++) out[to + i] = y[from + i] * scale[to + i];
    }
    return out;
  }

  /** Pivot k of the backward pass: y_k ← D_k⁻¹ y_k − Σ_r L(r,k)ᵀ y_r. */
  private backSubstitute(k: number): void {
    const { perm, Lp, Li } = this.pattern;
    const { sizes, lOff, pStart, dinv, y, tmp } = this;
    const s = sizes[perm[k]];
    const yk = pStart[k];
    const di = this.dinvOff[k];
    for (let i = 0; i < s; i++) {
      let acc = 0;
      for (let j = 0; j < s; j++) acc += dinv[di + i * s + j] * y[yk + j];
      tmp[i] = acc;
    }
    for (let p = Lp[k]; p < Lp[k + 1]; p++) subtractTransposedMatVec(this.values, lOff[p], sizes[perm[Li[p]]], s, y, pStart[Li[p]], tmp, 0);
    for (let i = 0; i < s; i++) y[yk + i] = tmp[i];
  }

  /**
   * Symmetric Ruiz equilibration (Ruiz 2001, "A scaling algorithm to equilibrate both
   * rows and columns norms in matrices"): sweeps of A ← S A S with
   * S = diag(1/√max_j |a_ij|), so that every row's largest entry is near 1. Interior-point
   * KKT matrices mix barrier terms of 1e9 with multipliers' pivots of 1e-9; scaled, their
   * pivot blocks stay well conditioned. Three sweeps bring every row's largest entry
   * within a factor of about 1.1 of 1. Solves apply S on both sides.
   */
  private equilibrate(nnz: number): void {
    const { scale, rowMax, entryRow, entryCol, nzList } = this;
    const v = this.values;
    // Successive matrices (Newton iterations, regularization retries) change little: one
    // sweep from the last scaling keeps them equilibrated; the first call makes three.
    const sweeps = this.scaled ? 1 : 3;
    this.scaled = true;
    for (let sweep = 0; sweep < sweeps; sweep++) {
      rowMax.fill(0);
      for (let t = 0; t < nnz; t++) {
        const o = nzList[t];
        const e = v[o];
        const u = entryRow[o];
        const w = entryCol[o];
        const x = Math.abs(e) * scale[u] * scale[w];
        if (x > rowMax[u]) rowMax[u] = x;
        if (x > rowMax[w]) rowMax[w] = x;
      }
      for (let u = 0; u < scale.length; u++) if (rowMax[u] > 0 && Number.isFinite(rowMax[u])) scale[u] /= Math.sqrt(rowMax[u]);
    }
    for (let t = 0; t < nnz; t++) {
      const o = nzList[t];
      v[o] *= scale[entryRow[o]] * scale[entryCol[o]];
    }
  }

  /** y = A x with A as last assembled (before `factor`), for residuals and refinement. */
  multiplyAssembled(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    const n = this.pattern.n;
    const { perm, Lp, Li } = this.pattern;
    const { sizes, start, dOff, lOff } = this;
    const a = this.assembled;
    out.fill(0);
    for (let k = 0; k < n; k++) {
      const bk = perm[k];
      const s = sizes[bk];
      const xk = start[bk];
      const d = dOff[k];
      for (let i = 0; i < s; i++) {
        out[xk + i] += a[d + i * s + i] * x[xk + i];
        for (let j = 0; j < i; j++) {
          const e = a[d + i * s + j];
          out[xk + i] += e * x[xk + j];
          out[xk + j] += e * x[xk + i];
        }
      }
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const br = perm[Li[p]];
        const rs = sizes[br];
        const xr = start[br];
        const o = lOff[p];
        for (let i = 0; i < rs; i++) {
          for (let j = 0; j < s; j++) {
            const e = a[o + i * s + j];
            if (e === 0) continue;
            out[xr + i] += e * x[xk + j];
            out[xk + j] += e * x[xr + i];
          }
        }
      }
    }
    return out;
  }

  /** Number of stored off-diagonal block entries (scalars) including fill. */
  get storedValues(): number {
    return this.values.length;
  }
}
