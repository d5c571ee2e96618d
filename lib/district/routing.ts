import { GridIndex, UnionFind, buildGraph, type Graph } from "./graph";
import { projectOnSegment, type XY } from "./geo";

/**
 * The routing graph cables follow: street centre lines (vertices merged within
 * half a metre), each building's connection point ("tap") projected onto its
 * nearest street segment, and straight links joining street pieces that do not
 * touch (uploads often have gaps). Without streets, buildings are joined to their
 * nearest neighbours instead.
 */
export interface RoutingGraph {
  graph: Graph;
  /** Node of each building's tap (where its service cable meets the feeder). */
  buildingTap: Int32Array;
  /** Service cable length of each building, m (0 when the building sits on the graph). */
  serviceM: Float64Array;
  /** 1 for tap nodes, 0 for street vertices and substation nodes. */
  isTap: Uint8Array;
  /** Number of straight links added to join disconnected pieces. */
  links: number;
}

const MERGE_M = 0.5;
const MIN_EDGE_M = 0.05;

class NodeSet {
  readonly x: number[] = [];
  readonly y: number[] = [];
  private readonly byKey = new Map<string, number>();

  add(p: XY): number {
    const key = `${Math.round(p[0] / MERGE_M)},${Math.round(p[1] / MERGE_M)}`;
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit;
    const id = this.x.length;
    this.x.push(p[0]);
    this.y.push(p[1]);
    this.byKey.set(key, id);
    return id;
  }

  /** A node that is never merged with others (taps, substations). */
  addDistinct(p: XY): number {
    this.x.push(p[0]);
    this.y.push(p[1]);
    return this.x.length - 1;
  }
}

class EdgeSet {
  readonly edges: [number, number][] = [];
  private readonly seen = new Set<string>();
  add(a: number, b: number): void {
    if (a === b) return;
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.edges.push([a, b]);
  }
}

/** Routing graph over streets (polylines in local metres) with a tap per building. */
export function buildStreetRouting(streets: XY[][], buildings: XY[]): RoutingGraph {
  const nodes = new NodeSet();
  const streetEdges = new EdgeSet();
  for (const line of streets) {
    let prev = -1;
    for (const p of line) {
      const v = nodes.add(p);
      if (prev >= 0) streetEdges.add(prev, v);
      prev = v;
    }
  }
  const nStreet = nodes.x.length;
  const segs = streetEdges.edges.filter(([a, b]) => Math.hypot(nodes.x[a] - nodes.x[b], nodes.y[a] - nodes.y[b]) >= MIN_EDGE_M);
  // Join disconnected street pieces with the shortest straight links between them.
  const links = joinComponents(nodes, segs, nStreet);
  const allSegs = [...segs, ...links];

  // Nearest segment of every building (grid index over segment boxes).
  const index = new GridIndex(40);
  allSegs.forEach(([a, b], s) => index.insert(s, nodes.x[a], nodes.y[a], nodes.x[b], nodes.y[b]));
  const pt = (i: number): XY => [nodes.x[i], nodes.y[i]];
  const taps: { seg: number; t: number; point: XY; building: number; d: number }[] = [];
  buildings.forEach((p, bi) => {
    const hit = index.nearest(p[0], p[1], (s) => projectOnSegment(p, pt(allSegs[s][0]), pt(allSegs[s][1])).distance);
    if (!hit) throw new Error("routing: no street segment");
    const [a, b] = allSegs[hit.id];
    const pr = projectOnSegment(p, pt(a), pt(b));
    taps.push({ seg: hit.id, t: pr.t, point: pr.point, building: bi, d: pr.distance });
  });

  // Split tapped segments at their taps (taps within 0.5 m share a node).
  const isTapList: number[] = [];
  const buildingTap = new Int32Array(buildings.length);
  const serviceM = new Float64Array(buildings.length);
  const bySeg = new Map<number, typeof taps>();
  for (const t of taps) {
    const list = bySeg.get(t.seg) ?? [];
    list.push(t);
    bySeg.set(t.seg, list);
  }
  const edges = new EdgeSet();
  allSegs.forEach(([a, b], s) => {
    const list = bySeg.get(s);
    if (!list) {
      edges.add(a, b);
      return;
    }
    list.sort((p, q) => p.t - q.t || p.building - q.building);
    const segLen = Math.hypot(nodes.x[a] - nodes.x[b], nodes.y[a] - nodes.y[b]);
    let prev = a;
    let prevPoint: XY = pt(a);
    for (const t of list) {
      let v: number;
      if (t.t * segLen < MERGE_M) v = a;
      else if ((1 - t.t) * segLen < MERGE_M) v = b;
      else if (prev !== a && Math.hypot(t.point[0] - prevPoint[0], t.point[1] - prevPoint[1]) < MERGE_M) v = prev;
      else {
        v = nodes.addDistinct(t.point);
        edges.add(prev, v);
        prev = v;
        prevPoint = t.point;
      }
      isTapList[v] = 1;
      buildingTap[t.building] = v;
      serviceM[t.building] = Math.hypot(buildings[t.building][0] - nodes.x[v], buildings[t.building][1] - nodes.y[v]);
    }
    edges.add(prev, b);
  });
  const graph = buildGraph(nodes.x, nodes.y, edges.edges);
  const isTap = new Uint8Array(graph.n);
  isTapList.forEach((v, i) => {
    if (v) isTap[i] = 1;
  });
  return { graph, buildingTap, serviceM, isTap, links: links.length };
}

/**
 * Routing graph without streets: every building is a node joined to its nearest
 * neighbours (up to 4, within 3× the distance to the nearest one), pieces joined by
 * shortest links. Cables then run from building to building.
 */
export function buildNeighbourRouting(buildings: XY[]): RoutingGraph {
  const nodes = new NodeSet();
  const buildingTap = new Int32Array(buildings.length);
  buildings.forEach((p, i) => (buildingTap[i] = nodes.add(p)));
  const n = nodes.x.length;
  const index = new GridIndex(30);
  for (let i = 0; i < n; i++) index.insert(i, nodes.x[i], nodes.y[i]);
  const edges = new EdgeSet();
  for (let i = 0; i < n; i++) {
    const cand: { j: number; d: number }[] = [];
    let r = 30;
    while (cand.length < 4 && r < 5000) {
      cand.length = 0;
      for (const j of index.query(nodes.x[i], nodes.y[i], r)) {
        if (j === i) continue;
        const d = Math.hypot(nodes.x[i] - nodes.x[j], nodes.y[i] - nodes.y[j]);
        if (d <= r) cand.push({ j, d });
      }
      r *= 2;
    }
    cand.sort((a, b) => a.d - b.d || a.j - b.j);
    const dMin = cand[0]?.d ?? 0;
    for (const c of cand.slice(0, 4)) if (c.d <= 3 * dMin) edges.add(i, c.j);
  }
  const links = joinComponents(nodes, edges.edges, n);
  for (const [a, b] of links) edges.add(a, b);
  const graph = buildGraph(nodes.x, nodes.y, edges.edges);
  const isTap = new Uint8Array(graph.n);
  for (const v of buildingTap) isTap[v] = 1;
  return { graph, buildingTap, serviceM: new Float64Array(buildings.length), isTap, links: links.length };
}

/**
 * Links that join all pieces of the graph: repeatedly connect the piece holding the
 * lowest-numbered node not yet joined to the main piece by its shortest straight
 * link to any other piece (a greedy spanning forest over pieces).
 */
function joinComponents(nodes: NodeSet, edges: [number, number][], n: number): [number, number][] {
  if (n <= 1) return [];
  const uf = new UnionFind(n);
  for (const [a, b] of edges) uf.union(a, b);
  const index = new GridIndex(50);
  for (let i = 0; i < n; i++) index.insert(i, nodes.x[i], nodes.y[i]);
  const links: [number, number][] = [];
  for (;;) {
    const members = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const r = uf.find(i);
      const list = members.get(r) ?? [];
      list.push(i);
      members.set(r, list);
    }
    if (members.size <= 1) break;
    // Join the smallest piece (ties: lowest root) to its nearest other piece.
    const [root, list] = [...members.entries()].sort((a, b) => a[1].length - b[1].length || a[0] - b[0])[0];
    let best: [number, number] | null = null;
    let bestD = Infinity;
    for (const v of list) {
      const hit = index.nearest(
        nodes.x[v],
        nodes.y[v],
        (j) => Math.hypot(nodes.x[v] - nodes.x[j], nodes.y[v] - nodes.y[j]),
        (j) => uf.find(j) !== root,
      );
      if (hit && hit.distance < bestD) {
        bestD = hit.distance;
        best = [v, hit.id];
      }
    }
    if (!best) break;
    uf.union(best[0], best[1]);
    links.push(best);
  }
  return links;
}
