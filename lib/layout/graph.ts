/**
 * The topology a schematic layout is computed from: buses as nodes, in-service branches
 * as undirected edges (parallel branches merged, self-loops dropped), in CSR form, and
 * its connected components. Pure and typed-array based, so it runs unchanged in Node
 * and in the solver worker.
 */
import type { Network } from "../grid/types";

export interface LayoutGraph {
  /** Number of buses (nodes). */
  n: number;
  /** Bus id of each node, in the network's bus order. */
  busIds: Int32Array;
  /** Distinct undirected edges between nodes (ea[e] < eb[e]). */
  ea: Int32Array;
  eb: Int32Array;
  /** CSR adjacency: neighbours of node i are adj[ptr[i] .. ptr[i+1]), in edge order. */
  ptr: Int32Array;
  adj: Int32Array;
  /** Nodes that should be the root of their component's drawing (slack buses). */
  preferredRoots: Int32Array;
}

export interface LayoutBranch {
  from: number;
  to: number;
  inService: boolean;
}

/**
 * The layout graph of a network. Out-of-service branches (normally open points) do not
 * shape the drawing; they are drawn afterwards between wherever their buses land.
 * Branches naming an unknown bus are refused by name.
 */
export function layoutGraphOf(net: Pick<Network, "buses" | "branches">): LayoutGraph {
  return buildLayoutGraph(
    net.buses.map((b) => b.id),
    net.branches,
    net.buses.flatMap((b, i) => (b.type === "REF" ? [i] : [])),
  );
}

export function buildLayoutGraph(busIds: ArrayLike<number>, branches: readonly LayoutBranch[], preferredRoots: ArrayLike<number> = []): LayoutGraph {
  const n = busIds.length;
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (index.has(busIds[i])) throw new Error(`bus ${busIds[i]} appears twice`);
    index.set(busIds[i], i);
  }
  const seen = new Set<number>();
  const ea: number[] = [];
  const eb: number[] = [];
  branches.forEach((br, k) => {
    const f = index.get(br.from);
    const t = index.get(br.to);
    if (f === undefined || t === undefined) throw new Error(`branch ${k + 1} (${br.from} → ${br.to}) names a bus that is not in the network`);
    if (!br.inService || f === t) return;
    const a = Math.min(f, t);
    const b = Math.max(f, t);
    const key = a * n + b;
    if (seen.has(key)) return;
    seen.add(key);
    ea.push(a);
    eb.push(b);
  });
  const m = ea.length;
  const ptr = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    ptr[ea[e] + 1]++;
    ptr[eb[e] + 1]++;
  }
  for (let i = 0; i < n; i++) ptr[i + 1] += ptr[i];
  const fill = ptr.slice(0, n);
  const adj = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    adj[fill[ea[e]]++] = eb[e];
    adj[fill[eb[e]]++] = ea[e];
  }
  return { n, busIds: Int32Array.from(busIds), ea: Int32Array.from(ea), eb: Int32Array.from(eb), ptr, adj, preferredRoots: Int32Array.from(preferredRoots) };
}

export interface Component {
  /** Nodes of the component, in breadth-first order from `root`. */
  nodes: Int32Array;
  root: number;
  edges: number;
  /** Independent cycles (edges − nodes + 1): 0 for a radial (tree) component. */
  cyclomatic: number;
}

/**
 * Connected components, largest first (ties by lowest node). The root of each is its
 * preferred root (slack bus) if it has one, else its node of highest degree (lowest
 * index among equals): the drawing grows from there.
 */
export function componentsOf(g: LayoutGraph): Component[] {
  const comp = new Int32Array(g.n).fill(-1);
  const found: { nodes: number[]; first: number }[] = [];
  for (let s = 0; s < g.n; s++) {
    if (comp[s] >= 0) continue;
    const c = found.length;
    const nodes = [s];
    comp[s] = c;
    for (let h = 0; h < nodes.length; h++) {
      const u = nodes[h];
      for (let k = g.ptr[u]; k < g.ptr[u + 1]; k++) {
        const v = g.adj[k];
        if (comp[v] < 0) {
          comp[v] = c;
          nodes.push(v);
        }
      }
    }
    found.push({ nodes, first: s });
  }
  const preferred = new Map<number, number>();
  for (const r of g.preferredRoots) if (!preferred.has(comp[r])) preferred.set(comp[r], r);
  const degree = (i: number) => g.ptr[i + 1] - g.ptr[i];
  const out = found.map(({ nodes }, c) => {
    let root = preferred.get(c) ?? -1;
    if (root < 0) {
      root = nodes[0];
      for (const i of nodes) if (degree(i) > degree(root) || (degree(i) === degree(root) && i < root)) root = i;
    }
    let edgeEnds = 0;
    for (const i of nodes) edgeEnds += degree(i);
    const edges = edgeEnds / 2;
    return { nodes: bfsOrder(g, root, nodes.length), root, edges, cyclomatic: edges - nodes.length + 1, first: found[c].first };
  });
  out.sort((a, b) => b.nodes.length - a.nodes.length || a.first - b.first);
  return out.map(({ first: _f, ...c }) => c);
}

/** Breadth-first order of the `size` nodes reachable from `root`. */
function bfsOrder(g: LayoutGraph, root: number, size: number): Int32Array {
  const order = new Int32Array(size);
  const seen = new Uint8Array(g.n);
  order[0] = root;
  seen[root] = 1;
  let tail = 1;
  for (let h = 0; h < tail; h++) {
    const u = order[h];
    for (let k = g.ptr[u]; k < g.ptr[u + 1]; k++) {
      const v = g.adj[k];
      if (!seen[v]) {
        seen[v] = 1;
        order[tail++] = v;
      }
    }
  }
  return order;
}
