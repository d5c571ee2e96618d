/**
 * Tidy drawing of a radial (tree) component, rooted at its slack bus: Reingold and
 * Tilford's aesthetic rules (parents centred over their children, equal subtrees drawn
 * alike, no two nodes of one depth closer than `separation`, subtrees packed as close
 * as those rules allow), in the linear-time form of Buchheim, Jünger and Leipert,
 * "Improving Walker's algorithm to run in linear time" (Graph Drawing 2002), written
 * without recursion so feeders thousands of buses deep cannot overflow the stack.
 * Depth runs along x (feeders read left to right), siblings are spread along y.
 */
import type { Component, LayoutGraph } from "./graph";

export interface TreeDrawing {
  /** Position along the feeder: depth from the root (0 at the root). */
  depth: Int32Array;
  /** Position across the feeders, in units of `separation` (min 0). */
  breadth: Float64Array;
  maxDepth: number;
  maxBreadth: number;
}

/** The breadth-first spanning tree of a component in local numbering (BFS order): parent and ordered children (CSR). */
interface SpanningTree {
  size: number;
  parent: Int32Array;
  /** Children of v: children[first[v]] to children[first[v + 1] - 1]. */
  first: Int32Array;
  children: Int32Array;
}

function spanningTree(g: LayoutGraph, c: Component): SpanningTree {
  const size = c.nodes.length;
  // Local numbering: position in the BFS order (parents before children).
  const local = new Map<number, number>();
  c.nodes.forEach((v, i) => local.set(v, i));
  const parent = new Int32Array(size).fill(-1);
  const childCount = new Int32Array(size + 1);
  const seen = new Uint8Array(size);
  seen[0] = 1;
  const order: number[] = [];
  for (let i = 0; i < size; i++) {
    const u = c.nodes[i];
    for (let k = g.ptr[u]; k < g.ptr[u + 1]; k++) {
      const j = local.get(g.adj[k])!;
      if (seen[j]) continue;
      seen[j] = 1;
      parent[j] = i;
      childCount[i + 1]++;
      order.push(j);
    }
  }
  for (let i = 0; i < size; i++) childCount[i + 1] += childCount[i];
  const first = childCount;
  const fill = first.slice(0, size);
  const children = new Int32Array(Math.max(0, size - 1));
  for (const j of order) children[fill[parent[j]]++] = j;
  return { size, parent, first, children };
}

/** Tidy tree of one radial component (c.cyclomatic must be 0); `separation` between neighbouring nodes of a depth. */
export function drawTree(g: LayoutGraph, c: Component, separation = 1): TreeDrawing {
  const tree = spanningTree(g, c);
  const { size, parent, first, children } = tree;
  const childAt = (v: number, k: number) => children[first[v] + k];
  const nChildren = (v: number) => first[v + 1] - first[v];
  const prelim = new Float64Array(size);
  const mod = new Float64Array(size);
  const shift = new Float64Array(size);
  const change = new Float64Array(size);
  const mid = new Float64Array(size);
  const thread = new Int32Array(size).fill(-1);
  const ancestor = Int32Array.from({ length: size }, (_, i) => i);
  const number = new Int32Array(size);
  for (let v = 0; v < size; v++) for (let k = 0; k < nChildren(v); k++) number[childAt(v, k)] = k + 1;
  const nextLeft = (v: number) => (nChildren(v) > 0 ? childAt(v, 0) : thread[v]);
  const nextRight = (v: number) => (nChildren(v) > 0 ? childAt(v, nChildren(v) - 1) : thread[v]);

  const moveSubtree = (wl: number, wr: number, s: number) => {
    const subtrees = number[wr] - number[wl];
    change[wr] -= s / subtrees;
    shift[wr] += s;
    change[wl] += s / subtrees;
    prelim[wr] += s;
    mod[wr] += s;
  };

  // APPORTION: push the subtree of v right of the forest of its left siblings.
  const apportion = (v: number, defaultAncestor: number): number => {
    const p = parent[v];
    if (number[v] === 1) return defaultAncestor;
    let vip = v;
    let vop = v;
    let vim = childAt(p, number[v] - 2);
    let vom = childAt(p, 0);
    let sip = mod[vip];
    let sop = mod[vop];
    let sim = mod[vim];
    let som = mod[vom];
    while (nextRight(vim) >= 0 && nextLeft(vip) >= 0) {
      vim = nextRight(vim);
      vip = nextLeft(vip);
      vom = nextLeft(vom);
      vop = nextRight(vop);
      ancestor[vop] = v;
      const s = prelim[vim] + sim - (prelim[vip] + sip) + separation;
      if (s > 0) {
        moveSubtree(parent[ancestor[vim]] === p ? ancestor[vim] : defaultAncestor, v, s);
        sip += s;
        sop += s;
      }
      sim += mod[vim];
      sip += mod[vip];
      som += mod[vom];
      sop += mod[vop];
    }
    if (nextRight(vim) >= 0 && nextRight(vop) < 0) {
      thread[vop] = nextRight(vim);
      mod[vop] += sim - sop;
    }
    if (nextLeft(vip) >= 0 && nextLeft(vom) < 0) {
      thread[vom] = nextLeft(vip);
      mod[vom] += sip - som;
      return v;
    }
    return defaultAncestor;
  };

  // FIRSTWALK, bottom-up (reverse BFS order: children before their parent). A child's
  // own placement against its left sibling is done by the parent, in sibling order,
  // interleaved with APPORTION exactly as the recursive algorithm does it.
  for (let v = size - 1; v >= 0; v--) {
    const nc = nChildren(v);
    if (nc === 0) continue;
    let defaultAncestor = childAt(v, 0);
    for (let k = 0; k < nc; k++) {
      const w = childAt(v, k);
      const leaf = nChildren(w) === 0;
      if (k === 0) prelim[w] = leaf ? 0 : mid[w];
      else {
        prelim[w] = prelim[childAt(v, k - 1)] + separation;
        if (!leaf) mod[w] = prelim[w] - mid[w];
      }
      defaultAncestor = apportion(w, defaultAncestor);
    }
    // EXECUTESHIFTS: spread the shifts of the moved subtrees over their left siblings.
    let s = 0;
    let ch = 0;
    for (let k = nc - 1; k >= 0; k--) {
      const w = childAt(v, k);
      prelim[w] += s;
      mod[w] += s;
      ch += change[w];
      s += shift[w] + ch;
    }
    mid[v] = (prelim[childAt(v, 0)] + prelim[childAt(v, nc - 1)]) / 2;
  }
  prelim[0] = nChildren(0) > 0 ? mid[0] : 0;

  return secondWalk(g, c, tree, prelim, mod);
}

/** SECONDWALK, top-down: final breadth = preliminary + the modifiers of all ancestors; breadths then start at 0. */
function secondWalk(g: LayoutGraph, c: Component, tree: SpanningTree, prelim: Float64Array, mod: Float64Array): TreeDrawing {
  const { size, first, children } = tree;
  const childAt = (v: number, k: number) => children[first[v] + k];
  const nChildren = (v: number) => first[v + 1] - first[v];
  const acc = new Float64Array(size);
  const depthLocal = new Int32Array(size);
  const breadthLocal = new Float64Array(size);
  for (let v = 0; v < size; v++) {
    breadthLocal[v] = prelim[v] + acc[v];
    for (let k = 0; k < nChildren(v); k++) {
      const w = childAt(v, k);
      acc[w] = acc[v] + mod[v];
      depthLocal[w] = depthLocal[v] + 1;
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  let maxDepth = 0;
  for (let v = 0; v < size; v++) {
    lo = Math.min(lo, breadthLocal[v]);
    hi = Math.max(hi, breadthLocal[v]);
    maxDepth = Math.max(maxDepth, depthLocal[v]);
  }
  const depth = new Int32Array(g.n);
  const breadth = new Float64Array(g.n);
  for (let v = 0; v < size; v++) {
    depth[c.nodes[v]] = depthLocal[v];
    breadth[c.nodes[v]] = breadthLocal[v] - lo;
  }
  return { depth, breadth, maxDepth, maxBreadth: hi - lo };
}
