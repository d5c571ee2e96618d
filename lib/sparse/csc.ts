/**
 * Compressed sparse column matrices. Row indices within a column are not required
 * to be sorted unless a function says so; duplicates are summed by `fromTriplets`.
 */
export interface CscMatrix {
  rows: number;
  cols: number;
  /** Column pointers, length cols + 1. */
  colPtr: Int32Array;
  rowIdx: Int32Array;
  values: Float64Array;
}

/** Build a CSC matrix from (row, col, value) triplets; duplicates are summed, rows sorted. */
export function fromTriplets(rows: number, cols: number, ti: ArrayLike<number>, tj: ArrayLike<number>, tx: ArrayLike<number>): CscMatrix {
  const nz = ti.length;
  const count = new Int32Array(cols + 1);
  for (let k = 0; k < nz; k++) {
    const j = tj[k];
    const i = ti[k];
    if (j < 0 || j >= cols || i < 0 || i >= rows) throw new RangeError(`triplet (${i}, ${j}) outside ${rows}x${cols}`);
    count[j + 1]++;
  }
  for (let j = 0; j < cols; j++) count[j + 1] += count[j];
  const next = count.slice(0, cols);
  const ri = new Int32Array(nz);
  const rx = new Float64Array(nz);
  for (let k = 0; k < nz; k++) {
    const p = next[tj[k]]++;
    ri[p] = ti[k];
    rx[p] = tx[k];
  }
  // Sort rows within each column and sum duplicates.
  const colPtr = new Int32Array(cols + 1);
  const outI: number[] = [];
  const outX: number[] = [];
  const order: number[] = [];
  for (let j = 0; j < cols; j++) {
    order.length = 0;
    for (let p = count[j]; p < count[j + 1]; p++) order.push(p);
    order.sort((a, b) => ri[a] - ri[b]);
    let last = -1;
    for (const p of order) {
      if (ri[p] === last) {
        outX[outX.length - 1] += rx[p];
      } else {
        outI.push(ri[p]);
        outX.push(rx[p]);
        last = ri[p];
      }
    }
    colPtr[j + 1] = outI.length;
  }
  return { rows, cols, colPtr, rowIdx: Int32Array.from(outI), values: Float64Array.from(outX) };
}

/** y = A x */
export function multiply(a: CscMatrix, x: ArrayLike<number>, y = new Float64Array(a.rows)): Float64Array {
  y.fill(0);
  for (let j = 0; j < a.cols; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    for (let p = a.colPtr[j]; p < a.colPtr[j + 1]; p++) y[a.rowIdx[p]] += a.values[p] * xj;
  }
  return y;
}

/** Adjacency lists of the graph of A + A^T without the diagonal (square A). */
export function symmetricAdjacency(a: CscMatrix): Int32Array[] {
  const n = a.cols;
  const sets: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let j = 0; j < n; j++) {
    for (let p = a.colPtr[j]; p < a.colPtr[j + 1]; p++) {
      const i = a.rowIdx[p];
      if (i === j) continue;
      sets[i].add(j);
      sets[j].add(i);
    }
  }
  return sets.map((s) => Int32Array.from([...s].sort((x, y) => x - y)));
}
