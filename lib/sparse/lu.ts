import { symmetricAdjacency, type CscMatrix } from "./csc";
import { minimumDegreeOrder } from "./ordering";

/**
 * Sparse LU factorization P A Q = L U for square matrices.
 *
 * - Symbolic analysis: a fill-reducing column order Q (minimum degree on A + A^T,
 *   or one supplied by the caller).
 * - `factor`: left-looking Gilbert–Peierls LU with threshold partial pivoting that
 *   prefers the diagonal (|a_kk| >= tol * max |a_ik|), which keeps the symmetric
 *   fill-reducing order for the structurally symmetric matrices of power systems.
 * - `refactor`: new values on the same pattern reuse the pivot sequence and the
 *   L/U patterns (as KLU's refactorization): no graph search, no pivot search, one
 *   pass over the known structure. It reports failure when a pivot becomes zero or
 *   the growth explodes, so the caller can fall back to `factor`.
 *
 * L is unit lower triangular (diagonal not stored), U upper triangular with its
 * diagonal kept apart; both use pivot-order indices.
 */
export interface LuOptions {
  /** Column order to use instead of minimum degree (perm[k] = k-th column). */
  order?: Int32Array;
  /** Diagonal preference threshold in (0, 1]; 1 = plain partial pivoting. */
  pivotTol?: number;
}

export type LuStatus = "ok" | "singular";

export class SparseLU {
  readonly n: number;
  /** Pattern of the analyzed matrix (values change between factorizations). */
  private readonly colPtr: Int32Array;
  private readonly rowIdx: Int32Array;
  readonly q: Int32Array;
  private readonly tol: number;
  /** pinv[i] = pivot position of original row i; prow is its inverse. */
  private pinv: Int32Array;
  private prow: Int32Array;
  private Lp: Int32Array = new Int32Array(0);
  private Li: Int32Array = new Int32Array(0);
  private Lx: Float64Array = new Float64Array(0);
  private Up: Int32Array = new Int32Array(0);
  private Ui: Int32Array = new Int32Array(0);
  private Ux: Float64Array = new Float64Array(0);
  private Ud: Float64Array = new Float64Array(0);
  private factored = false;
  private readonly work: Float64Array;
  /** Count of full factorizations and of pattern-reusing refactorizations. */
  stats = { factorizations: 0, refactorizations: 0 };

  private constructor(a: CscMatrix, q: Int32Array, tol: number) {
    this.n = a.cols;
    this.colPtr = a.colPtr;
    this.rowIdx = a.rowIdx;
    this.q = q;
    this.tol = tol;
    this.pinv = new Int32Array(this.n);
    this.prow = new Int32Array(this.n);
    this.work = new Float64Array(this.n);
  }

  /** Symbolic analysis: fill-reducing order for the pattern of `a`. */
  static analyze(a: CscMatrix, opts: LuOptions = {}): SparseLU {
    if (a.rows !== a.cols) throw new RangeError(`LU needs a square matrix, got ${a.rows}x${a.cols}`);
    const q = opts.order ?? minimumDegreeOrder(symmetricAdjacency(a));
    if (q.length !== a.cols) throw new RangeError("column order has the wrong length");
    return new SparseLU(a, q, opts.pivotTol ?? 0.01);
  }

  get nnzL(): number {
    return this.Lp[this.n] ?? 0;
  }
  get nnzU(): number {
    return (this.Up[this.n] ?? 0) + this.n;
  }

  /** Numeric factorization with pivoting; `values` follow the analyzed pattern. */
  factor(values: Float64Array): LuStatus {
    const n = this.n;
    const { colPtr: Ap, rowIdx: Ai, q } = this;
    const x = this.work;
    const pinv = this.pinv.fill(-1);
    let capL = Math.max(4 * Ap[n], n) + n;
    let capU = capL;
    const Lp: Int32Array = new Int32Array(n + 1);
    let Li: Int32Array = new Int32Array(capL);
    let Lx: Float64Array = new Float64Array(capL);
    const Up: Int32Array = new Int32Array(n + 1);
    let Ui: Int32Array = new Int32Array(capU);
    let Ux: Float64Array = new Float64Array(capU);
    const Ud = new Float64Array(n);
    const xi = new Int32Array(n); // reach, topological order in xi[top..n)
    const stack = new Int32Array(n);
    const pstack = new Int32Array(n);
    const mark = new Int32Array(n).fill(-1);
    let lnz = 0;
    let unz = 0;

    for (let k = 0; k < n; k++) {
      Lp[k] = lnz;
      Up[k] = unz;
      if (lnz + n > capL) {
        capL = 2 * capL + n;
        Li = grow32(Li, capL);
        Lx = grow64(Lx, capL);
      }
      if (unz + n > capU) {
        capU = 2 * capU + n;
        Ui = grow32(Ui, capU);
        Ux = grow64(Ux, capU);
      }
      const col = q[k];
      // Reach of A(:,col) in the graph of L (original row indices), by DFS.
      let top = n;
      for (let p = Ap[col]; p < Ap[col + 1]; p++) {
        const start = Ai[p];
        if (mark[start] === k) continue;
        let head = 0;
        stack[0] = start;
        while (head >= 0) {
          const i = stack[head];
          const j = pinv[i];
          if (mark[i] !== k) {
            mark[i] = k;
            pstack[head] = j < 0 ? 0 : Lp[j];
          }
          let pushed = false;
          if (j >= 0) {
            const end = Lp[j + 1];
            for (let pp = pstack[head]; pp < end; pp++) {
              const r = Li[pp];
              if (mark[r] === k) continue;
              pstack[head] = pp + 1;
              stack[++head] = r;
              pushed = true;
              break;
            }
          }
          if (!pushed) {
            head--;
            xi[--top] = i;
          }
        }
      }
      // Sparse triangular solve x = L \ A(:,col) on the reach.
      for (let p = top; p < n; p++) x[xi[p]] = 0;
      for (let p = Ap[col]; p < Ap[col + 1]; p++) x[Ai[p]] += values[p];
      for (let p = top; p < n; p++) {
        const i = xi[p];
        const j = pinv[i];
        if (j < 0) continue;
        const xj = x[i];
        for (let pp = Lp[j]; pp < Lp[j + 1]; pp++) x[Li[pp]] -= Lx[pp] * xj;
      }
      // Pivot: largest candidate, unless the diagonal is within the threshold.
      let ipiv = -1;
      let amax = -1;
      for (let p = top; p < n; p++) {
        const i = xi[p];
        if (pinv[i] < 0) {
          const t = Math.abs(x[i]);
          if (t > amax) {
            amax = t;
            ipiv = i;
          }
        } else {
          Ui[unz] = pinv[i];
          Ux[unz++] = x[i];
        }
      }
      if (ipiv < 0 || !(amax > 0) || !Number.isFinite(amax)) {
        this.factored = false;
        x.fill(0);
        return "singular";
      }
      if (pinv[col] < 0 && mark[col] === k && Math.abs(x[col]) >= amax * this.tol) ipiv = col;
      const pivot = x[ipiv];
      Ud[k] = pivot;
      pinv[ipiv] = k;
      for (let p = top; p < n; p++) {
        const i = xi[p];
        if (pinv[i] < 0) {
          Li[lnz] = i;
          Lx[lnz++] = x[i] / pivot;
        }
      }
    }
    Lp[n] = lnz;
    Up[n] = unz;
    x.fill(0);
    // Rows of L to pivot order.
    for (let p = 0; p < lnz; p++) Li[p] = pinv[Li[p]];
    const prow = this.prow;
    for (let i = 0; i < n; i++) prow[pinv[i]] = i;
    this.Lp = Lp;
    this.Li = Li.slice(0, lnz);
    this.Lx = Lx.slice(0, lnz);
    this.Up = Up;
    this.Ui = Ui.slice(0, unz);
    this.Ux = Ux.slice(0, unz);
    this.Ud = Ud;
    this.factored = true;
    this.stats.factorizations++;
    return "ok";
  }

  /**
   * Numeric refactorization on the pattern and pivot sequence of the last `factor`.
   * Returns false (and leaves the factors unusable) when a pivot vanishes or an L
   * entry grows beyond `maxGrowth`; call `factor` then.
   */
  refactor(values: Float64Array, maxGrowth = 1e8): boolean {
    if (!this.factored) return false;
    const n = this.n;
    const { colPtr: Ap, rowIdx: Ai, q, pinv, Lp, Li, Lx, Up, Ui, Ux, Ud } = this;
    const x = this.work;
    for (let k = 0; k < n; k++) {
      const col = q[k];
      for (let p = Ap[col]; p < Ap[col + 1]; p++) x[pinv[Ai[p]]] += values[p];
      const u0 = Up[k];
      const u1 = Up[k + 1];
      for (let p = u0; p < u1; p++) {
        const j = Ui[p];
        const xj = x[j];
        Ux[p] = xj;
        x[j] = 0;
        if (xj !== 0) for (let pp = Lp[j]; pp < Lp[j + 1]; pp++) x[Li[pp]] -= Lx[pp] * xj;
      }
      const pivot = x[k];
      x[k] = 0;
      if (pivot === 0 || !Number.isFinite(pivot)) {
        this.factored = false;
        x.fill(0);
        return false;
      }
      Ud[k] = pivot;
      const inv = 1 / pivot;
      const lim = maxGrowth;
      let bad = false;
      for (let p = Lp[k]; p < Lp[k + 1]; p++) {
        const r = Li[p];
        const l = x[r] * inv;
        x[r] = 0;
        Lx[p] = l;
        if (!(Math.abs(l) <= lim)) bad = true;
      }
      if (bad) {
        this.factored = false;
        x.fill(0);
        return false;
      }
    }
    this.stats.refactorizations++;
    return true;
  }

  /** Solve A x = b. `b` is not modified; `out` may be given to avoid allocation. */
  solve(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.n)): Float64Array {
    if (!this.factored) throw new Error("SparseLU.solve before a successful factorization");
    const n = this.n;
    const { Lp, Li, Lx, Up, Ui, Ux, Ud, prow, q } = this;
    const y = this.work;
    for (let k = 0; k < n; k++) y[k] = b[prow[k]];
    for (let k = 0; k < n; k++) {
      const yk = y[k];
      if (yk !== 0) for (let p = Lp[k]; p < Lp[k + 1]; p++) y[Li[p]] -= Lx[p] * yk;
    }
    for (let k = n - 1; k >= 0; k--) {
      const yk = y[k] / Ud[k];
      y[k] = yk;
      if (yk !== 0) for (let p = Up[k]; p < Up[k + 1]; p++) y[Ui[p]] -= Ux[p] * yk;
    }
    for (let k = 0; k < n; k++) {
      out[q[k]] = y[k];
      y[k] = 0;
    }
    return out;
  }

  /** Solve A^T x = b. */
  solveTranspose(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.n)): Float64Array {
    if (!this.factored) throw new Error("SparseLU.solveTranspose before a successful factorization");
    const n = this.n;
    const { Lp, Li, Lx, Up, Ui, Ux, Ud, prow, q } = this;
    const y = this.work;
    for (let k = 0; k < n; k++) y[k] = b[q[k]];
    // U^T w = z (forward): row k of U^T is column k of U.
    for (let k = 0; k < n; k++) {
      let s = y[k];
      for (let p = Up[k]; p < Up[k + 1]; p++) s -= Ux[p] * y[Ui[p]];
      y[k] = s / Ud[k];
    }
    // L^T v = w (backward).
    for (let k = n - 1; k >= 0; k--) {
      let s = y[k];
      for (let p = Lp[k]; p < Lp[k + 1]; p++) s -= Lx[p] * y[Li[p]];
      y[k] = s;
    }
    for (let k = 0; k < n; k++) {
      out[prow[k]] = y[k];
      y[k] = 0;
    }
    return out;
  }
}

function grow32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
function grow64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
