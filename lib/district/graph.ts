/**
 * Undirected weighted graphs in compressed (CSR) form, multi-source Dijkstra with a
 * binary heap over typed arrays, union–find, and a uniform grid index for
 * nearest-point queries. Used for routing cables along streets.
 */

export interface Graph {
  n: number;
  /** Node coordinates, metres in the district's local frame. */
  x: Float64Array;
  y: Float64Array;
  /** Edge endpoints and lengths (m). */
  ea: Int32Array;
  eb: Int32Array;
  len: Float64Array;
  /** CSR adjacency: neighbours of node i are adjNode[adjPtr[i] .. adjPtr[i+1]) via edge adjEdge[...]. */
  adjPtr: Int32Array;
  adjNode: Int32Array;
  adjEdge: Int32Array;
}

export function buildGraph(x: ArrayLike<number>, y: ArrayLike<number>, edges: ArrayLike<number>[]): Graph {
  const n = x.length;
  const m = edges.length;
  const ea = new Int32Array(m);
  const eb = new Int32Array(m);
  const len = new Float64Array(m);
  const xs = Float64Array.from(x);
  const ys = Float64Array.from(y);
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const a = edges[e][0];
    const b = edges[e][1];
    ea[e] = a;
    eb[e] = b;
    len[e] = Math.hypot(xs[a] - xs[b], ys[a] - ys[b]);
    deg[a + 1]++;
    deg[b + 1]++;
  }
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const adjPtr = deg;
  const fill = adjPtr.slice(0, n);
  const adjNode = new Int32Array(2 * m);
  const adjEdge = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const a = ea[e];
    const b = eb[e];
    adjNode[fill[a]] = b;
    adjEdge[fill[a]++] = e;
    adjNode[fill[b]] = a;
    adjEdge[fill[b]++] = e;
  }
  return { n, x: xs, y: ys, ea, eb, len, adjPtr, adjNode, adjEdge };
}

export interface ShortestPaths {
  dist: Float64Array;
  /** Predecessor node on the shortest path (-1 at sources and unreachable nodes). */
  parent: Int32Array;
  /** Index (into `sources`) of the source each node is closest to, -1 if unreachable. */
  source: Int32Array;
}

/** Multi-source Dijkstra: every node's distance to, and path from, its nearest source. */
export function dijkstra(g: Graph, sources: ArrayLike<number>): ShortestPaths {
  const n = g.n;
  const dist = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const source = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  // Binary min-heap of (key, node) with lazy deletion.
  let cap = Math.max(16, n);
  let hk = new Float64Array(cap);
  let hn = new Int32Array(cap);
  let size = 0;
  const push = (k: number, v: number) => {
    if (size === cap) {
      cap *= 2;
      const nk = new Float64Array(cap);
      nk.set(hk);
      hk = nk;
      const nn = new Int32Array(cap);
      nn.set(hn);
      hn = nn;
    }
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      // Ties broken by node index, so results do not depend on insertion order.
      if (hk[p] < k || (hk[p] === k && hn[p] < v)) break;
      hk[i] = hk[p];
      hn[i] = hn[p];
      i = p;
    }
    hk[i] = k;
    hn[i] = v;
  };
  const pop = (): number => {
    const top = hn[0];
    const k = hk[--size];
    const v = hn[size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && (hk[c + 1] < hk[c] || (hk[c + 1] === hk[c] && hn[c + 1] < hn[c]))) c++;
      if (k < hk[c] || (k === hk[c] && v < hn[c])) break;
      hk[i] = hk[c];
      hn[i] = hn[c];
      i = c;
    }
    hk[i] = k;
    hn[i] = v;
    return top;
  };
  for (let s = 0; s < sources.length; s++) {
    const v = sources[s];
    if (dist[v] === 0) continue;
    dist[v] = 0;
    source[v] = s;
    push(0, v);
  }
  while (size > 0) {
    const u = pop();
    if (done[u]) continue;
    done[u] = 1;
    const du = dist[u];
    for (let p = g.adjPtr[u]; p < g.adjPtr[u + 1]; p++) {
      const v = g.adjNode[p];
      const nd = du + g.len[g.adjEdge[p]];
      if (nd < dist[v]) {
        dist[v] = nd;
        parent[v] = u;
        source[v] = source[u];
        push(nd, v);
      }
    }
  }
  return { dist, parent, source };
}

/** Length of a path of nodes (sum of the straight segments between them), in the graph's units. */
export function pathLength(g: Graph, path: number[]): number {
  let len = 0;
  for (let i = 1; i < path.length; i++) len += Math.hypot(g.x[path[i]] - g.x[path[i - 1]], g.y[path[i]] - g.y[path[i - 1]]);
  return len;
}

/** Node sequence from the path's source to `target` (empty if unreachable). */
export function pathTo(sp: ShortestPaths, target: number): number[] {
  if (!Number.isFinite(sp.dist[target])) return [];
  const out: number[] = [];
  for (let v = target; v >= 0; v = sp.parent[v]) out.push(v);
  return out.reverse();
}

export class UnionFind {
  private readonly p: Int32Array;
  constructor(n: number) {
    this.p = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(a: number): number {
    const p = this.p;
    while (p[a] !== a) {
      p[a] = p[p[a]];
      a = p[a];
    }
    return a;
  }
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // Smaller root index wins: deterministic representatives.
    if (ra < rb) this.p[rb] = ra;
    else this.p[ra] = rb;
    return true;
  }
}

/**
 * Uniform grid over items with an axis-aligned box each (points have zero-size
 * boxes); `nearest` searches rings of cells outwards until no closer item can exist.
 */
export class GridIndex {
  private readonly cells = new Map<number, number[]>();
  private readonly cell: number;
  private readonly boxes: number[] = [];
  private minCx = Infinity;
  private maxCx = -Infinity;
  private minCy = Infinity;
  private maxCy = -Infinity;

  constructor(cellSize: number) {
    this.cell = cellSize;
  }

  private key(cx: number, cy: number): number {
    return (cx + 32768) * 65536 + (cy + 32768);
  }

  /** Adds item `id` covering the box [x0, x1] × [y0, y1]. */
  insert(id: number, x0: number, y0: number, x1 = x0, y1 = y0): void {
    this.boxes[id * 4] = x0;
    this.boxes[id * 4 + 1] = y0;
    this.boxes[id * 4 + 2] = x1;
    this.boxes[id * 4 + 3] = y1;
    const c = this.cell;
    const ax = Math.floor(Math.min(x0, x1) / c);
    const bx = Math.floor(Math.max(x0, x1) / c);
    const ay = Math.floor(Math.min(y0, y1) / c);
    const by = Math.floor(Math.max(y0, y1) / c);
    for (let cx = ax; cx <= bx; cx++) {
      for (let cy = ay; cy <= by; cy++) {
        const k = this.key(cx, cy);
        let list = this.cells.get(k);
        if (!list) {
          list = [];
          this.cells.set(k, list);
        }
        list.push(id);
      }
    }
    this.minCx = Math.min(this.minCx, ax);
    this.maxCx = Math.max(this.maxCx, bx);
    this.minCy = Math.min(this.minCy, ay);
    this.maxCy = Math.max(this.maxCy, by);
  }

  /** Items whose cells meet the box around (x, y) with half-size r (candidates; callers test exactly). */
  query(x: number, y: number, r: number): number[] {
    const c = this.cell;
    const out = new Set<number>();
    for (let cx = Math.floor((x - r) / c); cx <= Math.floor((x + r) / c); cx++) {
      for (let cy = Math.floor((y - r) / c); cy <= Math.floor((y + r) / c); cy++) {
        const list = this.cells.get(this.key(cx, cy));
        if (list) for (const id of list) out.add(id);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  /**
   * The item minimising `distance(id)` among those passing `accept`, searching rings
   * of cells around (x, y); `distance` must be at least the distance to the item's box.
   */
  nearest(x: number, y: number, distance: (id: number) => number, accept: (id: number) => boolean = () => true): { id: number; distance: number } | null {
    const c = this.cell;
    const cx0 = Math.floor(x / c);
    const cy0 = Math.floor(y / c);
    let best = -1;
    let bestD = Infinity;
    const seen = new Set<number>();
    const maxRing =
      Math.max(this.maxCx - this.minCx, this.maxCy - this.minCy) + Math.max(Math.abs(cx0 - this.minCx), Math.abs(cx0 - this.maxCx), Math.abs(cy0 - this.minCy), Math.abs(cy0 - this.maxCy)) + 1;
    for (let ring = 0; ring <= maxRing; ring++) {
      // Every item in ring k is at least (k - 1) cells away.
      if (best >= 0 && (ring - 1) * c > bestD) break;
      for (let cx = cx0 - ring; cx <= cx0 + ring; cx++) {
        for (let cy = cy0 - ring; cy <= cy0 + ring; cy++) {
          if (Math.max(Math.abs(cx - cx0), Math.abs(cy - cy0)) !== ring) continue;
          const list = this.cells.get(this.key(cx, cy));
          if (!list) continue;
          for (const id of list) {
            if (seen.has(id)) continue;
            seen.add(id);
            if (!accept(id)) continue;
            const d = distance(id);
            if (d < bestD || (d === bestD && id < best)) {
              bestD = d;
              best = id;
            }
          }
        }
      }
    }
    return best >= 0 ? { id: best, distance: bestD } : null;
  }
}
