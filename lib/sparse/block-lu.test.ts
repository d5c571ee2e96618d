import { describe, expect, it } from "vitest";
import { BlockLU2 } from "./block-lu";
import { mulberry32 } from "../util/mulberry32";

/** Random symmetric block pattern (a meshed graph) with dense 2x2 blocks, diagonally strong. */
function randomBlockMatrix(n: number, extraEdges: number, seed: number) {
  const r = mulberry32(seed);
  const edges = new Set<string>();
  for (let i = 1; i < n; i++) edges.add(`${Math.floor(r() * i)},${i}`); // a random tree
  for (let e = 0; e < extraEdges; e++) {
    const a = Math.floor(r() * n);
    const b = Math.floor(r() * n);
    if (a !== b) edges.add(`${Math.min(a, b)},${Math.max(a, b)}`);
  }
  const cols: number[][] = Array.from({ length: n }, (_, j) => [j]);
  for (const e of edges) {
    const [a, b] = e.split(",").map(Number);
    cols[a].push(b);
    cols[b].push(a);
  }
  cols.forEach((c) => c.sort((x, y) => x - y));
  const colPtr = new Int32Array(n + 1);
  cols.forEach((c, j) => (colPtr[j + 1] = colPtr[j] + c.length));
  const rowIdx = Int32Array.from(cols.flat());
  const values = new Float64Array(4 * rowIdx.length);
  const dense = Array.from({ length: 2 * n }, () => new Array<number>(2 * n).fill(0));
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
      const i = rowIdx[p];
      for (let e = 0; e < 4; e++) {
        const v = i === j ? (e === 0 || e === 3 ? 8 + r() : r() - 0.5) : r() - 0.5;
        values[4 * p + e] = v;
        dense[2 * i + (e >> 1)][2 * j + (e & 1)] = v;
      }
    }
  }
  return { colPtr, rowIdx, values, dense };
}

function matVec(d: number[][], x: ArrayLike<number>, transpose = false): Float64Array {
  const n = d.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i] += (transpose ? d[j][i] : d[i][j]) * x[j];
  return y;
}

describe("BlockLU2", () => {
  it("solves A x = b and A^T x = b on meshed block patterns (with fill)", () => {
    for (const [n, extra, seed] of [
      [1, 0, 1],
      [8, 4, 2],
      [60, 30, 3],
      [200, 40, 4],
    ]) {
      const { colPtr, rowIdx, values, dense } = randomBlockMatrix(n, extra, seed);
      const lu = new BlockLU2(colPtr, rowIdx);
      lu.load(values);
      expect(lu.factor()).toBe(true);
      const b = Float64Array.from({ length: 2 * n }, (_, i) => Math.cos(i));
      const x = lu.solve(b);
      const xt = lu.solveTranspose(b);
      const r1 = matVec(dense, x).map((v, i) => Math.abs(v - b[i]));
      const r2 = matVec(dense, xt, true).map((v, i) => Math.abs(v - b[i]));
      // Diagonally dominant blocks with O(1) entries: residuals at rounding level.
      expect(Math.max(...r1)).toBeLessThan(1e-12);
      expect(Math.max(...r2)).toBeLessThan(1e-12);
    }
  });

  it("refactorizes new values in place and stays exact", () => {
    const { colPtr, rowIdx, values, dense } = randomBlockMatrix(100, 30, 9);
    const lu = new BlockLU2(colPtr, rowIdx);
    lu.load(values);
    expect(lu.factor()).toBe(true);
    const scaled = values.map((v) => v * 1.5);
    lu.load(scaled);
    expect(lu.factor()).toBe(true);
    const b = Float64Array.from({ length: 200 }, (_, i) => i % 7);
    const x = lu.solve(b);
    const r = matVec(dense, x).map((v, i) => Math.abs(1.5 * v - b[i]));
    expect(Math.max(...r)).toBeLessThan(1e-12);
  });

  it("reports a singular diagonal block instead of dividing by zero", () => {
    const colPtr = Int32Array.of(0, 2, 4);
    const rowIdx = Int32Array.of(0, 1, 0, 1);
    // First diagonal block [[1, 2], [2, 4]] is singular.
    const values = Float64Array.of(1, 2, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1);
    const lu = new BlockLU2(colPtr, rowIdx);
    lu.load(values);
    expect(lu.factor()).toBe(false);
    expect(() => lu.solve([1, 2, 3, 4])).toThrow();
  });
});
