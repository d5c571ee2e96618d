import type { Stations } from "./substations";
import { round6 } from "./design";
import { dijkstra, pathTo, type Graph, type ShortestPaths } from "./graph";
import { solveTsp } from "./tsp";
import type { MvRing } from "./types";

/** At most this many substations on one 20 kV ring. */
const MAX_STATIONS_PER_RING = 8;

/**
 * 20 kV rings: substations grouped by their bearing from the PCC (a sweep, at most
 * MAX_STATIONS_PER_RING per ring), each group toured by a TSP over street distances
 * starting and ending at the PCC, and operated open at the segment that best
 * balances the design load of the two halves (the usual open-ring operation of
 * German 20 kV cable networks).
 */
export function buildMvRings(
  g: Graph,
  pccNode: number,
  pccSp: ShortestPaths,
  st: Stations,
  order: number[],
  sid: (s: number) => string,
  addMvLine: (id: string, a: number, b: number, path: number[], inService: boolean) => number,
): MvRing[] {
  const k = st.nodes.length;
  // Shortest paths from every substation (for distances and cable routes).
  const spOf = Array.from({ length: k }, (_, s) => dijkstra(g, [st.nodes[s]]));
  const node = (s: number) => (s < 0 ? pccNode : st.nodes[s]);
  const spFrom = (s: number) => (s < 0 ? pccSp : spOf[s]);
  const distance = (a: number, b: number) => spFrom(a).dist[node(b)];
  const bearing = (s: number) => Math.atan2(g.y[st.nodes[s]] - g.y[pccNode], g.x[st.nodes[s]] - g.x[pccNode]);
  const sorted = [...order].sort((a, b) => bearing(a) - bearing(b) || a - b);
  // The sweep starts after the widest angular gap, so a ring never wraps around the PCC.
  let start = 0;
  if (sorted.length > 1) {
    let gap = -1;
    for (let i = 0; i < sorted.length; i++) {
      const a = bearing(sorted[i]);
      const b = bearing(sorted[(i + 1) % sorted.length]) + (i + 1 === sorted.length ? 2 * Math.PI : 0);
      if (b - a > gap) {
        gap = b - a;
        start = (i + 1) % sorted.length;
      }
    }
  }
  const swept = [...sorted.slice(start), ...sorted.slice(0, start)];
  const nRings = Math.ceil(k / MAX_STATIONS_PER_RING);
  const rings: MvRing[] = [];
  for (let r = 0; r < nRings; r++) {
    const group = swept.slice(Math.round((r * k) / nRings), Math.round(((r + 1) * k) / nRings));
    const pts = [-1, ...group];
    const m = pts.length;
    const d = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) d[i * m + j] = i === j ? 0 : distance(pts[i], pts[j]);
    const tour = solveTsp(d, m).map((i) => pts[i]);
    // Segments tour[i] -> tour[i+1], closing back to the PCC.
    const seq = [...tour, -1];
    const loads = seq.map((s) => (s < 0 ? 0 : st.designMva[s]));
    const total = loads.reduce((a, b) => a + b, 0);
    let open = seq.length - 2;
    if (group.length > 1) {
      let best = Infinity;
      let left = 0;
      for (let i = 1; i < seq.length - 2; i++) {
        left += loads[i];
        const imbalance = Math.abs(2 * left - total);
        if (imbalance < best - 1e-12) {
          best = imbalance;
          open = i;
        }
      }
    }
    let lengthKm = 0;
    let openBranch = "";
    const label = (s: number) => (s < 0 ? "PCC" : sid(s));
    for (let i = 0; i + 1 < seq.length; i++) {
      const a = seq[i];
      const b = seq[i + 1];
      const path = pathTo(spFrom(a), node(b));
      let id = `mv-${label(a)}-${label(b)}`;
      if (group.length === 1 && i === 1) id = `mv-${label(a)}-${label(b)}-reserve`;
      lengthKm += addMvLine(id, a, b, path.length ? path : [node(a), node(b)], i !== open);
      if (i === open) openBranch = id;
    }
    rings.push({ id: `R${r + 1}`, stations: tour.slice(1).map(sid), openBranch, lengthKm: round6(lengthKm) });
  }
  return rings;
}
