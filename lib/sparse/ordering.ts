/**
 * Minimum degree ordering (Tinney scheme 2, Rose's elimination graph model):
 * repeatedly eliminate a node of least current degree and join its neighbours
 * into a clique. Exact degrees are kept in the explicit elimination graph, which
 * is cheap for power-system graphs (sparse, near planar, low fill). Ties are
 * broken by the smallest index, so the ordering is deterministic.
 *
 * @param adjacency neighbour lists of an undirected graph without self loops
 * @returns perm, with perm[k] = the node eliminated k-th
 */
export function minimumDegreeOrder(adjacency: ArrayLike<number>[]): Int32Array {
  const n = adjacency.length;
  const adj: Set<number>[] = new Array(n);
  for (let v = 0; v < n; v++) {
    const s = new Set<number>();
    const a = adjacency[v];
    for (let k = 0; k < a.length; k++) if (a[k] !== v) s.add(a[k]);
    adj[v] = s;
  }
  const heap = new MinHeap(n);
  for (let v = 0; v < n; v++) heap.push(adj[v].size, v);
  const done = new Uint8Array(n);
  const perm = new Int32Array(n);
  let k = 0;
  const nbrs: number[] = [];
  while (k < n) {
    const [deg, v] = heap.pop();
    if (done[v] || deg !== adj[v].size) continue; // stale entry
    done[v] = 1;
    perm[k++] = v;
    nbrs.length = 0;
    for (const u of adj[v]) nbrs.push(u);
    for (const u of nbrs) adj[u].delete(v);
    for (let a = 0; a < nbrs.length; a++) {
      const sa = adj[nbrs[a]];
      for (let b = a + 1; b < nbrs.length; b++) {
        if (!sa.has(nbrs[b])) {
          sa.add(nbrs[b]);
          adj[nbrs[b]].add(nbrs[a]);
        }
      }
    }
    adj[v].clear();
    for (const u of nbrs) heap.push(adj[u].size, u);
  }
  return perm;
}

/** Binary heap of (key, node) pairs ordered by key, then node. */
class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  constructor(capacity: number) {
    this.keys = new Array(0);
    this.vals = new Array(0);
    void capacity;
  }
  push(key: number, val: number): void {
    const keys = this.keys;
    const vals = this.vals;
    let i = keys.length;
    keys.push(key);
    vals.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] < key || (keys[p] === key && vals[p] <= val)) break;
      keys[i] = keys[p];
      vals[i] = vals[p];
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }
  pop(): [number, number] {
    const keys = this.keys;
    const vals = this.vals;
    const topK = keys[0];
    const topV = vals[0];
    const lastK = keys.pop()!;
    const lastV = vals.pop()!;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (keys[r] < keys[l] || (keys[r] === keys[l] && vals[r] < vals[l]))) c = r;
        if (keys[c] > lastK || (keys[c] === lastK && vals[c] >= lastV)) break;
        keys[i] = keys[c];
        vals[i] = vals[c];
        i = c;
      }
      keys[i] = lastK;
      vals[i] = lastV;
    }
    return [topK, topV];
  }
}
