/**
 * Pivots of a component for Pivot MDS and the sparse stress model: k nodes chosen
 * max–min (each next pivot is the node farthest from those already chosen, starting at
 * the component's root), with the hop distance of every node to every pivot.
 */
import type { Component, LayoutGraph } from "./graph";

export interface Pivots {
  /** Number of pivots. */
  k: number;
  /** Pivot nodes (global numbering). */
  nodes: Int32Array;
  /** Local index (position in the component's node list) of every global node of the component. */
  local: Int32Array;
  /** Hop distance of local node i to pivot p at hops[i * k + p]. */
  hops: Int32Array;
}

const DEFAULT_PIVOTS = 50;

/** Hop distances from `source` to the component's nodes (local numbering). */
function bfsHops(g: LayoutGraph, source: number, local: Int32Array, out: Int32Array, queue: Int32Array): void {
  out.fill(-1);
  out[local[source]] = 0;
  queue[0] = source;
  let tail = 1;
  for (let h = 0; h < tail; h++) {
    const u = queue[h];
    const du = out[local[u]];
    for (let q = g.ptr[u]; q < g.ptr[u + 1]; q++) {
      const v = g.adj[q];
      if (out[local[v]] < 0) {
        out[local[v]] = du + 1;
        queue[tail++] = v;
      }
    }
  }
}

export function choosePivots(g: LayoutGraph, c: Component, wanted = DEFAULT_PIVOTS): Pivots {
  const size = c.nodes.length;
  const local = new Int32Array(g.n);
  c.nodes.forEach((v, i) => (local[v] = i));
  const k = Math.min(wanted, size);
  const hops = new Int32Array(size * k);
  const nodes = new Int32Array(k);
  const minHops = new Int32Array(size).fill(2 ** 30);
  const row = new Int32Array(size);
  const queue = new Int32Array(size);
  let pivot = c.root;
  for (let p = 0; p < k; p++) {
    nodes[p] = pivot;
    bfsHops(g, pivot, local, row, queue);
    let far = 0;
    for (let i = 0; i < size; i++) {
      hops[i * k + p] = row[i];
      if (row[i] < minHops[i]) minHops[i] = row[i];
      if (minHops[i] > minHops[far]) far = i;
    }
    pivot = c.nodes[far];
  }
  return { k, nodes, local, hops };
}
