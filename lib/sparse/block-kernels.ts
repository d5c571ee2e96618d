/**
 * Dense kernels of the block LDLᵀ on row-major blocks in flat arrays at given offsets:
 * the scaling of a factor column by its pivot's inverse, the Schur-complement update,
 * and the block products of the triangular solves. Each takes typed arrays and offsets
 * only, so the factorization's inner loops allocate nothing.
 */

/** out(rows×s) = W(rows×s) D(s×s), D at offset d. */
export function multiplyRight(W: Float64Array, rows: number, s: number, D: Float64Array, d: number, out: Float64Array, o: number): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < s; j++) {
      let acc = 0;
      for (let t = 0; t < s; t++) acc += W[i * s + t] * D[d + t * s + j];
      out[o + i * s + j] = acc;
    }
  }
}

/** `multiplyRight` for the commonest pivot size of OPF KKT blocks (a bus without generators: 4), D symmetric. */
export function multiply4(W: Float64Array, rows: number, D: Float64Array, d: number, out: Float64Array, o: number): void {
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

/** T(sa×sb) −= A(sa×s) Bᵀ (B sb×s). */
export function subtractNT(A: Float64Array, ao: number, B: Float64Array, bo: number, T: Float64Array, to: number, sa: number, sb: number, s: number): void {
  for (let i = 0; i < sa; i++) {
    for (let j = 0; j < sb; j++) {
      let acc = 0;
      for (let q = 0; q < s; q++) acc += A[ao + i * s + q] * B[bo + j * s + q];
      T[to + i * sb + j] -= acc;
    }
  }
}

/** `subtractNT` for pivots of size 4. */
export function subtractNT4(A: Float64Array, ao: number, B: Float64Array, bo: number, T: Float64Array, to: number, sa: number, sb: number): void {
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

/** y[yo..yo+rows) −= M(rows×cols) x[xo..xo+cols). */
export function subtractMatVec(M: Float64Array, mo: number, rows: number, cols: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < rows; i++) {
    let acc = 0;
    for (let j = 0; j < cols; j++) acc += M[mo + i * cols + j] * x[xo + j];
    y[yo + i] -= acc;
  }
}

/** y[yo..yo+cols) −= M(rows×cols)ᵀ x[xo..xo+rows), skipping zero entries of x. */
export function subtractTransposedMatVec(M: Float64Array, mo: number, rows: number, cols: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < rows; i++) {
    const xi = x[xo + i];
    if (xi === 0) continue;
    for (let j = 0; j < cols; j++) y[yo + j] -= M[mo + i * cols + j] * xi;
  }
}
