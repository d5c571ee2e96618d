/**
 * Symbolic factorization of a structurally symmetric block pattern, shared by the block
 * LU (power flow Jacobians) and the block LDLᵀ (OPF KKT matrices): the inverse of an
 * elimination order, the filled pattern of the factor's columns, and the lookup of a
 * row block in a column of that pattern.
 */

/** iperm[perm[k]] = k. */
export function inversePermutation(perm: Int32Array): Int32Array {
  const n = perm.length;
  const iperm = new Int32Array(n);
  for (let k = 0; k < n; k++) iperm[perm[k]] = k;
  return iperm;
}

/**
 * Filled pattern of the factor's columns in pivot order, via the elimination tree: the
 * pattern of L(:,k) is the later neighbours of k plus the patterns of its children,
 * minus k. Column k has row blocks Li[Lp[k]..Lp[k+1]) (pivot order, ascending).
 *
 * @param adjacency neighbour lists of the block graph (original indices; self loops ignored)
 */
export function filledPattern(adjacency: ArrayLike<ArrayLike<number>>, perm: Int32Array, iperm: Int32Array): { Lp: Int32Array; Li: Int32Array } {
  const n = adjacency.length;
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
  return { Lp, Li };
}

/** Position p of row block r in column k of the pattern (Li[p] = r), or -1. */
export function findInColumn(Lp: Int32Array, Li: Int32Array, k: number, r: number): number {
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
