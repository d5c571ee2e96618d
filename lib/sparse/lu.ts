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
    const f = new GrowingFactors(n, Math.max(4 * Ap[n], n) + n);
    const xi = new Int32Array(n); // reach, topological order in xi[top..n)
    const stack = new Int32Array(n);
    const pstack = new Int32Array(n);
    const mark = new Int32Array(n).fill(-1);

    for (let k = 0; k < n; k++) {
      f.startColumn(k);
      const col = q[k];
      const top = reach(Ap, Ai, col, k, f.Lp, f.Li, pinv, mark, xi, stack, pstack);
      solveOnReach(Ap, Ai, values, col, xi, top, pinv, f.Lp, f.Li, f.Lx, x);
      const ipiv = storeUAndPickPivot(f, x, xi, top, pinv, col, mark[col] === k, this.tol);
      if (ipiv < 0) {
        this.factored = false;
        x.fill(0);
        return "singular";
      }
      f.Ud[k] = x[ipiv];
      pinv[ipiv] = k;
      storeLColumn(f, x, xi, top, pinv, x[ipiv]);
    }
    x.fill(0);
    this.adopt(f);
    this.stats.factorizations++;
    return "ok";
  }

  /** Take over the factors `factor` built: rows of L to pivot order, storage trimmed. */
  private adopt(f: GrowingFactors): void {
    const n = this.n;
    const { pinv, prow } = this;
    f.Lp[n] = f.lnz;
    f.Up[n] = f.unz;
    for (let p = 0; p < f.lnz; p++) f.Li[p] = pinv[f.Li[p]];
    for (let i = 0; i < n; i++) prow[pinv[i]] = i;
    this.Lp = f.Lp;
    this.Li = f.Li.slice(0, f.lnz);
    this.Lx = f.Lx.slice(0, f.lnz);
    this.Up = f.Up;
    this.Ui = f.Ui.slice(0, f.unz);
    this.Ux = f.Ux.slice(0, f.unz);
    this.Ud = f.Ud;
    this.factored = true;
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
    const y = gather(b, prow, this.work);
    for (let k = 0; k < n; k++) {
      const yk = y[k];
      if (yk !== 0) for (let p = Lp[k]; p < Lp[k + 1]; p++) y[Li[p]] -= Lx[p] * yk;
    }
    for (let k = n - 1; k >= 0; k--) {
      const yk = y[k] / Ud[k];
      y[k] = yk;
      if (yk !== 0) for (let p = Up[k]; p < Up[k + 1]; p++) y[Ui[p]] -= Ux[p] * yk;
    }
    return scatterAndClear(y, q, out);
  }

  /** Solve A^T x = b. */
  solveTranspose(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.n)): Float64Array {
    if (!this.factored) throw new Error("SparseLU.solveTranspose before a successful factorization");
    const n = this.n;
    const { Lp, Li, Lx, Up, Ui, Ux, Ud, prow, q } = this;
    const y = gather(b, q, this.work);
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
    return scatterAndClear(y, prow, out);
  }
}

/** L and U of a `factor` in progress, in storage that grows as columns are added. */
class GrowingFactors {
  readonly Lp: Int32Array;
  readonly Up: Int32Array;
  readonly Ud: Float64Array;
  Li: Int32Array;
  Lx: Float64Array;
  Ui: Int32Array;
  Ux: Float64Array;
  lnz = 0;
  unz = 0;
  private capL: number;
  private capU: number;

  constructor(
    private readonly n: number,
    capacity: number,
  ) {
    this.capL = capacity;
    this.capU = capacity;
    this.Lp = new Int32Array(n + 1);
    this.Li = new Int32Array(capacity);
    this.Lx = new Float64Array(capacity);
    this.Up = new Int32Array(n + 1);
    this.Ui = new Int32Array(capacity);
    this.Ux = new Float64Array(capacity);
    this.Ud = new Float64Array(n);
  }

  /** Open column k, with room for n more entries in each of L and U. */
  startColumn(k: number): void {
    const n = this.n;
    this.Lp[k] = this.lnz;
    this.Up[k] = this.unz;
    if (this.lnz + n > this.capL) {
      this.capL = 2 * this.capL + n;
      this.Li = grow32(this.Li, this.capL);
      this.Lx = grow64(this.Lx, this.capL);
    }
    if (this.unz + n > this.capU) {
      this.capU = 2 * this.capU + n;
      this.Ui = grow32(this.Ui, this.capU);
      this.Ux = grow64(this.Ux, this.capU);
    }
  }
}

/**
 * Reach of A(:,col) in the graph of L (original row indices), by DFS: the rows column k
 * of the factors can touch, in topological order in xi[top..n). Returns top.
 */
function reach(
  Ap: Int32Array,
  Ai: Int32Array,
  col: number,
  k: number,
  Lp: Int32Array,
  Li: Int32Array,
  pinv: Int32Array,
  mark: Int32Array,
  xi: Int32Array,
  stack: Int32Array,
  pstack: Int32Array,
): number {
  let top = xi.length;
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
  return top;
}

/**
 * Store the already pivoted rows of x on the reach as U(:,k) and pick the pivot row among
 * the others: the largest candidate, unless the diagonal (when on the reach) is within the
 * threshold. Returns -1 when no candidate is nonzero and finite.
 */
function storeUAndPickPivot(f: GrowingFactors, x: Float64Array, xi: Int32Array, top: number, pinv: Int32Array, col: number, diagonalReached: boolean, tol: number): number {
  const { Ui, Ux } = f;
  let unz = f.unz;
  let ipiv = -1;
  let amax = -1;
  for (let p = top; p < xi.length; p++) {
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
  f.unz = unz;
  if (ipiv < 0 || !(amax > 0) || !Number.isFinite(amax)) return -1;
  if (pinv[col] < 0 && diagonalReached && Math.abs(x[col]) >= amax * tol) ipiv = col;
  return ipiv;
}

/** Sparse triangular solve x = L \ A(:,col) on the reach xi[top..n). */
function solveOnReach(
  Ap: Int32Array,
  Ai: Int32Array,
  values: Float64Array,
  col: number,
  xi: Int32Array,
  top: number,
  pinv: Int32Array,
  Lp: Int32Array,
  Li: Int32Array,
  Lx: Float64Array,
  x: Float64Array,
): void {
  const n = xi.length;
  for (let p = top; p < n; p++) x[xi[p]] = 0;
  for (let p = Ap[col]; p < Ap[col + 1]; p++) x[Ai[p]] += values[p];
  for (let p = top; p < n; p++) {
    const i = xi[p];
    const j = pinv[i];
    if (j < 0) continue;
    const xj = x[i];
    for (let pp = Lp[j]; pp < Lp[j + 1]; pp++) x[Li[pp]] -= Lx[pp] * xj;
  }
}

/** L(:,k) = the rows of x on the reach not yet pivoted, divided by the pivot. */
function storeLColumn(f: GrowingFactors, x: Float64Array, xi: Int32Array, top: number, pinv: Int32Array, pivot: number): void {
  const { Li, Lx } = f;
  let lnz = f.lnz;
  for (let p = top; p < xi.length; p++) {
    const i = xi[p];
    if (pinv[i] < 0) {
      Li[lnz] = i;
      Lx[lnz++] = x[i] / pivot;
    }
  }
  f.lnz = lnz;
}

/** y[k] = b[from[k]]: a right-hand side in pivot order. */
function gather(b: ArrayLike<number>, from: Int32Array, y: Float64Array): Float64Array {
  for (let k = 0; k < from.length; k++) y[k] = b[from[k]];
  return y;
}

/** out[to[k]] = y[k], leaving y zero for the next solve. */
function scatterAndClear(y: Float64Array, to: Int32Array, out: Float64Array): Float64Array {
  for (let k = 0; k < to.length; k++) {
    out[to[k]] = y[k];
    y[k] = 0;
  }
  return out;
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
