import { describe, expect, it } from "vitest";
import { mulberry32 } from "../util/mulberry32";
import { BlockLdl, BlockLdlPattern } from "./block-ldl";
import { BunchKaufmanWorkspace, JacobiWorkspace, symmetricEigen, symmetricInverse } from "./dense-sym";

/** A random block graph (tree plus extra edges), block sizes 0..maxSize, symmetric values. */
function randomProblem(nBlocks: number, extra: number, maxSize: number, seed: number, kkt: boolean) {
  const r = mulberry32(seed);
  const adj: Set<number>[] = Array.from({ length: nBlocks }, () => new Set<number>());
  for (let i = 1; i < nBlocks; i++) {
    const j = Math.floor(r() * i);
    adj[i].add(j);
    adj[j].add(i);
  }
  for (let e = 0; e < extra; e++) {
    const a = Math.floor(r() * nBlocks);
    const b = Math.floor(r() * nBlocks);
    if (a !== b) {
      adj[a].add(b);
      adj[b].add(a);
    }
  }
  const sizes = Int32Array.from({ length: nBlocks }, () => (kkt ? 4 : 1 + Math.floor(r() * maxSize)));
  const pattern = new BlockLdlPattern(adj.map((s) => Int32Array.from(s)));
  const ldl = new BlockLdl(pattern, sizes);
  const n = ldl.dim;
  const dense = Array.from({ length: n }, () => new Float64Array(n));
  const put = (u: number, v: number, x: number) => {
    const o = ldl.offset(u, v);
    expect(o).toBeGreaterThanOrEqual(0);
    ldl.values[o] += x;
    dense[u][v] += x;
    if (u !== v) dense[v][u] += x;
  };
  for (let b = 0; b < nBlocks; b++) {
    const s0 = ldl.start[b];
    const s = sizes[b];
    for (let i = 0; i < s; i++) {
      for (let j = 0; j <= i; j++) {
        if (kkt) {
          // [H J'; J 0] per block: slots 0,1 primal, 2,3 multipliers (J diagonal-dominant).
          if (i >= 2 && j >= 2) continue;
          if (i >= 2 && j < 2) put(s0 + i, s0 + j, (i - 2 === j ? 10 : 0) + r() - 0.5);
          else put(s0 + i, s0 + j, i === j ? r() * 4 - 2 : r() - 0.5);
        } else put(s0 + i, s0 + j, i === j ? (r() < 0.5 ? -1 : 1) * (3 + r()) : r() - 0.5);
      }
    }
    for (const c of adj[b]) {
      if (c < b) continue;
      for (let i = 0; i < s; i++) {
        for (let j = 0; j < sizes[c]; j++) {
          if (kkt && i >= 2 && j >= 2) continue;
          put(s0 + i, ldl.start[c] + j, 0.3 * (r() - 0.5));
        }
      }
    }
  }
  return { ldl, dense, n, r };
}

function denseInertia(dense: Float64Array[]): { positive: number; negative: number } {
  const n = dense.length;
  const flat = new Float64Array(n * n);
  dense.forEach((row, i) => flat.set(row, i * n));
  const ws = new JacobiWorkspace(n);
  symmetricEigen(flat, 0, n, ws);
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < n; i++) ws.w[i] > 0 ? positive++ : negative++;
  return { positive, negative };
}

describe("symmetricEigen", () => {
  it("reconstructs A = V diag(w) Vᵀ with orthonormal V (1e-13)", () => {
    const r = mulberry32(3);
    for (const n of [1, 2, 3, 5, 9]) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r() * 2 - 1;
      const ws = new JacobiWorkspace(n);
      symmetricEigen(a, 0, n, ws);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let rec = 0;
          let orth = 0;
          for (let t = 0; t < n; t++) {
            rec += ws.v[i * n + t] * ws.w[t] * ws.v[j * n + t];
            orth += ws.v[t * n + i] * ws.v[t * n + j];
          }
          expect(Math.abs(rec - a[i * n + j])).toBeLessThan(1e-13);
          expect(Math.abs(orth - (i === j ? 1 : 0))).toBeLessThan(1e-13);
        }
      }
    }
  });
});

describe("symmetricInverse (Bunch–Kaufman)", () => {
  it("inverts symmetric indefinite matrices, 2×2 pivots included, and counts their inertia as the eigenvalues do", () => {
    const r = mulberry32(11);
    let twoByTwo = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = trial % 3 === 0 ? 2 + (trial % 7) : 1 + (trial % 8);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          // Small diagonals force 2×2 pivots (KKT-like zero blocks) in part of the trials.
          const x = i === j ? (trial % 3 === 0 ? 0 : r() * 2 - 1) : r() * 2 - 1;
          a[i * n + j] = a[j * n + i] = x;
        }
      }
      const inv = new Float64Array(n * n);
      const inertia = new Int32Array(3);
      const ws = new BunchKaufmanWorkspace(n);
      symmetricInverse(a, 0, n, inv, 0, ws, inertia);
      twoByTwo += ws.piv.subarray(0, n).filter((p) => p === 2).length;
      const jw = new JacobiWorkspace(n);
      symmetricEigen(a, 0, n, jw);
      const pos = Array.from(jw.w.subarray(0, n)).filter((x) => x > 0).length;
      expect([inertia[0], inertia[1], inertia[2]]).toEqual([pos, n - pos, 0]);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let t = 0; t < n; t++) s += a[i * n + t] * inv[t * n + j];
          // Random matrices of this size have condition numbers below 1e4 here: 1e-9 is loose.
          expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-9);
        }
      }
    }
    expect(twoByTwo).toBeGreaterThan(20);
  });

  it("reports a zero pivot of a singular matrix", () => {
    const a = Float64Array.of(1, 2, 2, 4);
    const inertia = new Int32Array(3);
    symmetricInverse(a, 0, 2, new Float64Array(4), 0, new BunchKaufmanWorkspace(2), inertia);
    expect(inertia[2]).toBeGreaterThan(0);
  });
});

describe("BlockLdl", () => {
  for (const kkt of [false, true]) {
    it(`solves symmetric indefinite ${kkt ? "KKT-shaped" : "mixed-size"} block systems and counts their inertia exactly`, () => {
      for (const [nb, extra, seed] of [
        [1, 0, 1],
        [2, 0, 2],
        [7, 3, 3],
        [25, 12, 4],
        [40, 30, 5],
      ]) {
        const { ldl, dense, n, r } = randomProblem(nb, extra, 5, seed, kkt);
        const inertia = ldl.factor();
        const ref = denseInertia(dense);
        expect(inertia).toEqual({ ...ref, zero: 0 });
        const x = Float64Array.from({ length: n }, () => r() - 0.5);
        const b = new Float64Array(n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += dense[i][j] * x[j];
        const got = ldl.solve(b);
        // Residual in the assembled matrix; the systems are well conditioned (1e-10 is generous).
        const res = ldl.multiplyAssembled(got);
        for (let i = 0; i < n; i++) {
          expect(Math.abs(got[i] - x[i])).toBeLessThan(1e-9);
          expect(Math.abs(res[i] - b[i])).toBeLessThan(1e-10);
        }
      }
    });
  }

  it("reports a singular matrix through zero pivots and refuses to solve", () => {
    const pattern = new BlockLdlPattern([Int32Array.of(1), Int32Array.of(0)]);
    const ldl = new BlockLdl(pattern, Int32Array.of(2, 1));
    // [[1, 1, 0], [1, 1, 0], [0, 0, 2]] has a zero eigenvalue in the first block.
    ldl.values[ldl.offset(0, 0)] = 1;
    ldl.values[ldl.offset(1, 0)] = 1;
    ldl.values[ldl.offset(1, 1)] = 1;
    ldl.values[ldl.offset(2, 2)] = 2;
    const inertia = ldl.factor();
    expect(inertia.zero).toBe(1);
    expect(() => ldl.solve([1, 2, 3])).toThrow(/before a successful factorization/);
  });
});
