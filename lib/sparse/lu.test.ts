import { describe, expect, it } from "vitest";
import { fromTriplets, multiply, type CscMatrix } from "./csc";
import { SparseLU } from "./lu";
import { minimumDegreeOrder } from "./ordering";
import { mulberry32 } from "../util/mulberry32";

/** A random structurally symmetric sparse matrix, optionally with weak diagonals. */
function randomMatrix(n: number, density: number, seed: number, weakDiagonal = false): CscMatrix {
  const r = mulberry32(seed);
  const ti: number[] = [];
  const tj: number[] = [];
  const tx: number[] = [];
  for (let i = 0; i < n; i++) {
    ti.push(i);
    tj.push(i);
    tx.push(weakDiagonal && r() < 0.3 ? 1e-9 * r() : 4 + r());
    for (let j = i + 1; j < n; j++) {
      if (r() < density) {
        ti.push(i, j);
        tj.push(j, i);
        tx.push(r() - 0.5, 2 * r() - 1);
      }
    }
  }
  return fromTriplets(n, n, ti, tj, tx);
}

function residualInf(a: CscMatrix, x: Float64Array, b: Float64Array): number {
  const ax = multiply(a, x);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(ax[i] - b[i]));
  return m;
}

describe("SparseLU", () => {
  it("solves A x = b and A^T x = b to machine precision on random sparse matrices", () => {
    for (const [n, d, seed] of [
      [1, 0, 1],
      [5, 0.5, 2],
      [60, 0.05, 3],
      [300, 0.01, 4],
    ] as const) {
      const a = randomMatrix(n, d, seed);
      const lu = SparseLU.analyze(a);
      expect(lu.factor(a.values)).toBe("ok");
      const r = mulberry32(seed + 100);
      const b = Float64Array.from({ length: n }, () => r() - 0.5);
      // 1e-12: backward-stable LU on well-conditioned matrices with entries O(1).
      expect(residualInf(a, lu.solve(b), b)).toBeLessThan(1e-12);
      const at = fromTriplets(n, n, Array.from(a.rowIdx), columnsOf(a), Array.from(a.values));
      const xt = lu.solveTranspose(b);
      const atT = transposeOf(at);
      expect(residualInf(atT, xt, b)).toBeLessThan(1e-12);
    }
  });

  it("pivots off the diagonal when the diagonal is (nearly) zero", () => {
    const a = randomMatrix(120, 0.04, 7, true);
    const lu = SparseLU.analyze(a);
    expect(lu.factor(a.values)).toBe("ok");
    const b = Float64Array.from({ length: 120 }, (_, i) => Math.sin(i));
    expect(residualInf(a, lu.solve(b), b)).toBeLessThan(1e-9);
  });

  it("refactorizes new values on the same pattern without a new pivot search", () => {
    const a = randomMatrix(200, 0.02, 11);
    const lu = SparseLU.analyze(a);
    expect(lu.factor(a.values)).toBe("ok");
    const r = mulberry32(5);
    const values2 = a.values.map((v) => v * (1 + 0.2 * (r() - 0.5)));
    const a2 = { ...a, values: values2 };
    expect(lu.refactor(values2)).toBe(true);
    const b = Float64Array.from({ length: 200 }, () => r());
    expect(residualInf(a2, lu.solve(b), b)).toBeLessThan(1e-12);
    expect(lu.stats).toEqual({ factorizations: 1, refactorizations: 1 });
  });

  it("reports a singular matrix instead of returning garbage", () => {
    const a = fromTriplets(3, 3, [0, 1, 0, 1, 2], [0, 0, 1, 1, 2], [1, 2, 2, 4, 1]);
    const lu = SparseLU.analyze(a);
    expect(lu.factor(a.values)).toBe("singular");
    expect(() => lu.solve([1, 2, 3])).toThrow();
    const b = fromTriplets(2, 2, [0, 1], [0, 0], [1, 1]); // empty second column
    expect(SparseLU.analyze(b).factor(b.values)).toBe("singular");
  });

  it("refactor reports a vanished pivot so the caller can factor again", () => {
    const a = fromTriplets(2, 2, [0, 1, 0, 1], [0, 0, 1, 1], [1, 1, 1, 2]);
    const lu = SparseLU.analyze(a, { pivotTol: 1 });
    expect(lu.factor(a.values)).toBe("ok");
    // Same pattern, values that make the first chosen pivot zero.
    const v = Float64Array.of(0, 1, 1, 2);
    expect(lu.refactor(v)).toBe(false);
    expect(lu.factor(v)).toBe("ok");
    const x = lu.solve([1, 1]);
    expect(Math.abs(0 * x[0] + 1 * x[1] - 1)).toBeLessThan(1e-15);
    expect(Math.abs(1 * x[0] + 2 * x[1] - 1)).toBeLessThan(1e-15);
  });

  it("keeps fill low on a tree (no fill with a minimum degree order)", () => {
    // A path graph numbered from the middle outwards would fill badly in natural order.
    const n = 500;
    const ti: number[] = [];
    const tj: number[] = [];
    const tx: number[] = [];
    const hub = 0;
    for (let i = 0; i < n; i++) {
      ti.push(i);
      tj.push(i);
      tx.push(3);
      if (i !== hub) {
        ti.push(i, hub);
        tj.push(hub, i);
        tx.push(-1, -1);
      }
    }
    const a = fromTriplets(n, n, ti, tj, tx);
    const lu = SparseLU.analyze(a);
    expect(lu.factor(a.values)).toBe("ok");
    // A star: eliminating leaves first gives L and U with n-1 off-diagonals each.
    expect(lu.nnzL).toBe(n - 1);
    expect(lu.nnzU).toBe(2 * n - 1);
  });
});

describe("minimumDegreeOrder", () => {
  it("is a permutation and deterministic", () => {
    const adj = [[1, 2], [0, 2, 3], [0, 1], [1]].map((a) => Int32Array.from(a));
    const p1 = minimumDegreeOrder(adj);
    const p2 = minimumDegreeOrder(adj);
    expect(Array.from(p1).sort()).toEqual([0, 1, 2, 3]);
    expect(p1).toEqual(p2);
    expect(p1[0]).toBe(3); // the only degree-1 node goes first
  });
});

function columnsOf(a: CscMatrix): number[] {
  const out: number[] = [];
  for (let j = 0; j < a.cols; j++) for (let p = a.colPtr[j]; p < a.colPtr[j + 1]; p++) out.push(j);
  return out;
}
function transposeOf(a: CscMatrix): CscMatrix {
  return fromTriplets(a.cols, a.rows, columnsOf(a), Array.from(a.rowIdx), Array.from(a.values));
}
