import { BunchKaufmanWorkspace, symmetricInverse } from "./dense-sym";
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
    const iperm = new Int32Array(n);
    for (let k = 0; k < n; k++) iperm[perm[k]] = k;
    this.perm = perm;
    this.iperm = iperm;
    // Filled pattern via the elimination tree: L(:,k) = later neighbours ∪ children's patterns.
    const children: number[][] = Array.from({ length: n }, () => []);
    const cols: Int32Array[] = new Array(n);
    const mark = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) {
      const pat: number[] = [];
      mark[k] = k;
      const adj = adjacency[perm[k]];
      for (let t = 0; t < adj.length; t++) {
        const r = iperm[adj[t]];
        if (r > k && mark[r] !== k) {
          mark[r] = k;
          pat.push(r);
        }
      }
      for (const c of children[k]) {
        const lc = cols[c];
        for (let t = 0; t < lc.length; t++) {
          const r = lc[t];
          if (r > k && mark[r] !== k) {
            mark[r] = k;
            pat.push(r);
          }
        }
      }
      pat.sort((a, b) => a - b);
      cols[k] = Int32Array.from(pat);
      if (pat.length) children[pat[0]].push(k);
    }
    const Lp = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) Lp[k + 1] = Lp[k] + cols[k].length;
    const Li = new Int32Array(Lp[n]);
    for (let k = 0; k < n; k++) Li.set(cols[k], Lp[k]);
    this.Lp = Lp;
    this.Li = Li;
  }

  /** Position p of row block r (pivot order) in column k, or -1. */
  find(k: number, r: number): number {
    const { Lp, Li } = this;
    let lo = Lp[k];
    let hi = Lp[k + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = Li[mid];
      if (x === r) return mid;
      if (x < r) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
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
    const { perm, Lp, Li } = pattern;
    const start = new Int32Array(n + 1);
    for (let b = 0; b < n; b++) start[b + 1] = start[b] + sizes[b];
    this.start = start;
    this.dim = start[n];
    const blockOf = new Int32Array(this.dim);
    for (let b = 0; b < n; b++) blockOf.fill(b, start[b], start[b + 1]);
    this.blockOf = blockOf;
    const ps = (k: number) => sizes[perm[k]];
    const dOff = new Int32Array(n);
    const lOff = new Int32Array(Lp[n]);
    const pStart = new Int32Array(n + 1);
    const dinvOff = new Int32Array(n + 1);
    let off = 0;
    let maxCol = 0;
    let maxS = 1;
    for (let k = 0; k < n; k++) {
      const s = ps(k);
      maxS = Math.max(maxS, s);
      pStart[k + 1] = pStart[k] + s;
      dinvOff[k + 1] = dinvOff[k] + s * s;
      dOff[k] = off;
      off += s * s;
      let col = 0;
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        lOff[p] = off;
        off += ps(Li[p]) * s;
        col += ps(Li[p]) * s;
      }
      maxCol = Math.max(maxCol, col);
    }
    this.dOff = dOff;
    this.lOff = lOff;
    this.pStart = pStart;
    this.values = new Float64Array(off);
    this.assembled = new Float64Array(off);
    this.dinv = new Float64Array(dinvOff[n]);
    this.dinvOff = dinvOff;
    this.scratch = new Float64Array(maxCol);
    this.y = new Float64Array(this.dim);
    this.scale = new Float64Array(this.dim).fill(1);
    this.rowMax = new Float64Array(this.dim);
    // Unknowns (row, column) of every stored lower-triangle position, for equilibration.
    this.nzList = new Int32Array(off);
    this.entryRow = new Int32Array(off);
    this.entryCol = new Int32Array(off);
    for (let k = 0; k < n; k++) {
      const bk = perm[k];
      const s = sizes[bk];
      const xk = start[bk];
      for (let i = 0; i < s; i++) {
        for (let j = 0; j < s; j++) {
          // Upper-triangle positions mirror the lower ones and are rewritten before use.
          const lo = i >= j;
          this.entryRow[dOff[k] + i * s + j] = xk + (lo ? i : j);
          this.entryCol[dOff[k] + i * s + j] = xk + (lo ? j : i);
        }
      }
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const br = perm[Li[p]];
        const rs = sizes[br];
        const xr = start[br];
        for (let i = 0; i < rs; i++) {
          for (let j = 0; j < s; j++) {
            this.entryRow[lOff[p] + i * s + j] = xr + i;
            this.entryCol[lOff[p] + i * s + j] = xk + j;
          }
        }
      }
    }
    this.ws = new BunchKaufmanWorkspace(maxS);
    this.tmp = new Float64Array(maxS);
    // Update program: every pair of rows (a >= b) of column k updates block (Li[a], Li[b]).
    const updPtr = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      const m = Lp[k + 1] - Lp[k];
      updPtr[k + 1] = updPtr[k] + (m * (m + 1)) / 2;
    }
    const upd = new Int32Array(3 * updPtr[n]);
    let u = 0;
    for (let k = 0; k < n; k++) {
      for (let a = Lp[k]; a < Lp[k + 1]; a++) {
        for (let b = Lp[k]; b <= a; b++) {
          const ra = Li[a];
          const rb = Li[b];
          let target: number;
          if (a === b) target = dOff[ra];
          else {
            const q = pattern.find(rb, ra);
            if (q < 0) throw new Error("block LDL: filled pattern is not closed");
            target = lOff[q];
          }
          upd[u++] = a;
          upd[u++] = b;
          upd[u++] = target;
        }
      }
    }
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
    const n = this.pattern.n;
    const { perm, Lp, Li } = this.pattern;
    const { sizes, dOff, lOff, dinv, dinvOff, updPtr, upd, scratch, ws } = this;
    if (!(zeroTol >= 0)) throw new RangeError("zeroTol must be non-negative");
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
    const inertia: Inertia = { positive: 0, negative: 0, zero: 0 };
    // Callers write the lower triangle of diagonal blocks; mirror it.
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      const d = dOff[k];
      for (let i = 0; i < s; i++) for (let j = 0; j < i; j++) v[d + j * s + i] = v[d + i * s + j];
    }
    const counts = this.counts;
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      if (s === 0) continue;
      const d = dOff[k];
      const di = dinvOff[k];
      if (s === 1) {
        const x = v[d];
        if (!Number.isFinite(x)) {
          this.ok = false;
          return { positive: 0, negative: 0, zero: this.dim };
        }
        if (Math.abs(x) <= zeroTol || x === 0) inertia.zero++;
        else if (x > 0) inertia.positive++;
        else inertia.negative++;
        dinv[di] = x === 0 ? 0 : 1 / x;
      } else {
        symmetricInverse(v, d, s, dinv, di, ws, counts);
        inertia.positive += counts[0];
        inertia.negative += counts[1];
        inertia.zero += counts[2];
        if (counts[2] > 0) {
          // A singular pivot block: the rest cannot be factored; count the remaining unknowns as unknown.
          this.ok = false;
          return inertia;
        }
      }
      // L(:,k) = A(:,k) D⁻¹, keeping A(:,k) (W) for the updates.
      const p0 = Lp[k];
      const p1 = Lp[k + 1];
      if (p0 === p1) continue;
      const w0 = lOff[p0];
      const len = lOff[p1 - 1] + sizes[perm[Li[p1 - 1]]] * s - w0;
      for (let t = 0; t < len; t++) scratch[t] = v[w0 + t];
      // (All rows of the column at once: L = W D⁻¹, W being rows·s values from scratch.)
      if (s === 4) multiply4(scratch, len / 4, dinv, di, v, w0);
      else {
        const rows = len / s;
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < s; j++) {
            let acc = 0;
            for (let t = 0; t < s; t++) acc += scratch[i * s + t] * dinv[di + t * s + j];
            v[w0 + i * s + j] = acc;
          }
        }
      }
      // Schur complement: A(ra, rb) -= L(ra,k) W(rb,k)ᵀ.
      for (let t = 3 * updPtr[k], end = 3 * updPtr[k + 1]; t < end; t += 3) {
        const a = upd[t];
        const b = upd[t + 1];
        const sa = sizes[perm[Li[a]]];
        const sb = sizes[perm[Li[b]]];
        if (s === 4) subtractNT4(v, lOff[a], scratch, lOff[b] - w0, v, upd[t + 2], sa, sb);
        else subtractNT(v, lOff[a], scratch, lOff[b] - w0, v, upd[t + 2], sa, sb, s);
      }
    }
    this.ok = inertia.zero === 0;
    return inertia;
  }

  get factored(): boolean {
    return this.ok;
  }

  /** Solve A x = b (unknowns in block order). `out` may alias nothing else. */
  solve(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    if (!this.ok) throw new Error("BlockLdl.solve before a successful factorization");
    const n = this.pattern.n;
    const { perm, Lp, Li } = this.pattern;
    const { sizes, start, lOff, pStart, dinv, dinvOff, y } = this;
    const v = this.values;
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      const from = start[perm[k]];
      const to = pStart[k];
      for (let i = 0; i < s; i++) y[to + i] = b[from + i] * this.scale[from + i];
    }
    // L z = P b
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      const yk = pStart[k];
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const r = Li[p];
        const rs = sizes[perm[r]];
        const yr = pStart[r];
        const o = lOff[p];
        for (let i = 0; i < rs; i++) {
          let acc = 0;
          for (let j = 0; j < s; j++) acc += v[o + i * s + j] * y[yk + j];
          y[yr + i] -= acc;
        }
      }
    }
    // D w = z, then Lᵀ x = w
    const tmp = this.tmp;
    for (let k = n - 1; k >= 0; k--) {
      const s = sizes[perm[k]];
      const yk = pStart[k];
      const di = dinvOff[k];
      for (let i = 0; i < s; i++) {
        let acc = 0;
        for (let j = 0; j < s; j++) acc += dinv[di + i * s + j] * y[yk + j];
        tmp[i] = acc;
      }
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const r = Li[p];
        const rs = sizes[perm[r]];
        const yr = pStart[r];
        const o = lOff[p];
        for (let i = 0; i < rs; i++) {
          const xr = y[yr + i];
          if (xr === 0) continue;
          for (let j = 0; j < s; j++) tmp[j] -= v[o + i * s + j] * xr;
        }
      }
      for (let i = 0; i < s; i++) y[yk + i] = tmp[i];
    }
    for (let k = 0; k < n; k++) {
      const s = sizes[perm[k]];
      const to = start[perm[k]];
      const from = pStart[k];
      for (let i = 0; i < s; i++) out[to + i] = y[from + i] * this.scale[to + i];
    }
    return out;
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

/** T(sa×sb) −= A(sa×s) Bᵀ (B sb×s), all row-major in flat arrays at the given offsets. */
function subtractNT(A: Float64Array, ao: number, B: Float64Array, bo: number, T: Float64Array, to: number, sa: number, sb: number, s: number): void {
  for (let i = 0; i < sa; i++) {
    for (let j = 0; j < sb; j++) {
      let acc = 0;
      for (let q = 0; q < s; q++) acc += A[ao + i * s + q] * B[bo + j * s + q];
      T[to + i * sb + j] -= acc;
    }
  }
}

/** `subtractNT` for the commonest pivot size of OPF KKT blocks (a bus without generators: 4). */
function subtractNT4(A: Float64Array, ao: number, B: Float64Array, bo: number, T: Float64Array, to: number, sa: number, sb: number): void {
  for (let i = 0; i < sa; i++) {
    const r = ao + 4 * i;
    const a0 = A[r];
    const a1 = A[r + 1];
    const a2 = A[r + 2];
    const a3 = A[r + 3];
    const tr = to + i * sb;
    for (let j = 0; j < sb; j++) {
      const c = bo + 4 * j;
      T[tr + j] -= a0 * B[c] + a1 * B[c + 1] + a2 * B[c + 2] + a3 * B[c + 3];
    }
  }
}

/** Out(rows×4) = W(rows×4) D(4×4), row-major, D symmetric at offset d. */
function multiply4(W: Float64Array, rows: number, D: Float64Array, d: number, out: Float64Array, o: number): void {
  const d00 = D[d],
    d01 = D[d + 1],
    d02 = D[d + 2],
    d03 = D[d + 3];
  const d11 = D[d + 5],
    d12 = D[d + 6],
    d13 = D[d + 7];
  const d22 = D[d + 10],
    d23 = D[d + 11];
  const d33 = D[d + 15];
  for (let i = 0; i < rows; i++) {
    const r = 4 * i;
    const w0 = W[r],
      w1 = W[r + 1],
      w2 = W[r + 2],
      w3 = W[r + 3];
    out[o + r] = w0 * d00 + w1 * d01 + w2 * d02 + w3 * d03;
    out[o + r + 1] = w0 * d01 + w1 * d11 + w2 * d12 + w3 * d13;
    out[o + r + 2] = w0 * d02 + w1 * d12 + w2 * d22 + w3 * d23;
    out[o + r + 3] = w0 * d03 + w1 * d13 + w2 * d23 + w3 * d33;
  }
}
