import { findInColumn } from "./elimination-tree";

/**
 * Storage of a block LDLᵀ for given block sizes, all computed once per pattern: where
 * each pivot's diagonal block and L blocks sit in the flat value array, which unknowns
 * every stored entry couples (for the equilibration), and the update program of the
 * numeric factorization.
 */

/** The symbolic part a layout is built on (a `BlockLdlPattern`). */
interface SymbolicPattern {
  readonly n: number;
  /** perm[k] = block eliminated k-th. */
  readonly perm: Int32Array;
  /** Column k (pivot order) of L has row blocks Li[Lp[k]..Lp[k+1]) (pivot order, ascending). */
  readonly Lp: Int32Array;
  readonly Li: Int32Array;
}

interface BlockLdlLayout {
  /** Unknown u of block b is start[b] + slot; dim = start[n] unknowns in all. */
  start: Int32Array;
  dim: number;
  blockOf: Int32Array;
  /** Offset of pivot k's diagonal block, then of each of its L blocks (position p of the pattern). */
  dOff: Int32Array;
  lOff: Int32Array;
  /** Pivot-order start of each pivot's unknowns in the permuted vector. */
  pStart: Int32Array;
  /** Offset of each pivot's inverted diagonal block. */
  dinvOff: Int32Array;
  /** Values stored in all. */
  size: number;
  /** Values of the longest L column, and the largest pivot block (at least 1). */
  maxCol: number;
  maxPivot: number;
}

/** Offsets of the blocks in factor storage: for pivot k its diagonal block, then its L blocks. */
export function blockLdlLayout(pattern: SymbolicPattern, sizes: Int32Array): BlockLdlLayout {
  const { n, perm, Lp, Li } = pattern;
  const start = new Int32Array(n + 1);
  for (let b = 0; b < n; b++) start[b + 1] = start[b] + sizes[b];
  const dim = start[n];
  const blockOf = new Int32Array(dim);
  for (let b = 0; b < n; b++) blockOf.fill(b, start[b], start[b + 1]);
  const ps = (k: number) => sizes[perm[k]];
  const dOff = new Int32Array(n);
  const lOff = new Int32Array(Lp[n]);
  const pStart = new Int32Array(n + 1);
  const dinvOff = new Int32Array(n + 1);
  let off = 0;
  let maxCol = 0;
  let maxPivot = 1;
  for (let k = 0; k < n; k++) {
    const s = ps(k);
    maxPivot = Math.max(maxPivot, s);
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
  return { start, dim, blockOf, dOff, lOff, pStart, dinvOff, size: off, maxCol, maxPivot };
}

/** Unknowns (row, column) of every stored lower-triangle position, for equilibration. */
export function entryCoordinates(pattern: SymbolicPattern, sizes: Int32Array, layout: BlockLdlLayout): { entryRow: Int32Array; entryCol: Int32Array } {
  const { n, perm, Lp, Li } = pattern;
  const { start, dOff, lOff } = layout;
  const entryRow = new Int32Array(layout.size);
  const entryCol = new Int32Array(layout.size);
  for (let k = 0; k < n; k++) {
    const bk = perm[k];
    const s = sizes[bk];
    const xk = start[bk];
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        // Upper-triangle positions mirror the lower ones and are rewritten before use.
        const lo = i >= j;
        entryRow[dOff[k] + i * s + j] = xk + (lo ? i : j);
        entryCol[dOff[k] + i * s + j] = xk + (lo ? j : i);
      }
    }
    for (let p = Lp[k]; p < Lp[k + 1]; p++) {
      const br = perm[Li[p]];
      const rs = sizes[br];
      const xr = start[br];
      for (let i = 0; i < rs; i++) {
        for (let j = 0; j < s; j++) {
          entryRow[lOff[p] + i * s + j] = xr + i;
          entryCol[lOff[p] + i * s + j] = xk + j;
        }
      }
    }
  }
  return { entryRow, entryCol };
}

/**
 * Update program: every pair of rows (a >= b) of column k updates block (Li[a], Li[b]);
 * for pivot k, the triples updPtr[k]..updPtr[k+1) of (a, b, target offset).
 */
export function updateProgram(pattern: SymbolicPattern, layout: BlockLdlLayout): { updPtr: Int32Array; upd: Int32Array } {
  const { n, Lp, Li } = pattern;
  const { dOff, lOff } = layout;
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
          const q = findInColumn(Lp, Li, rb, ra);
          if (q < 0) throw new Error("block LDL: filled pattern is not closed");
          target = lOff[q];
        }
        upd[u++] = a;
        upd[u++] = b;
        upd[u++] = target;
      }
    }
  }
  return { updPtr, upd };
}
