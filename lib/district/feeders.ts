import { type GridAssembly, typeName } from "./assembly";
import { addProfile, CABLE_PLANNING_UTILISATION, designMva, dropPu, FEEDER_TYPE, feederType, HEAVY_FEEDER_TYPE, round6, type Acc } from "./design";
import type { XY } from "./geo";
import { pathLength, type Graph, type ShortestPaths } from "./graph";
import { coincidenceFactor, DESIGN_POWER_FACTOR, SCENARIO, type BuildingProfile } from "./profiles";
import type { RoutingGraph } from "./routing";
import { LINE_TYPES, LV_KV, lineRatingMva, type LineType, type LineTypeName } from "./standard-types";
import type { Feeder } from "./types";

/**
 * The 0.4 kV stage of a district grid: each substation's feeders along its
 * shortest-path tree over the streets, cut where a cable would be overloaded or the
 * voltage drop too large, and each building's service cable.
 */

const SERVICE_TYPES: LineTypeName[] = ["NAYY 4x50 SE", "NAYY 4x150 SE", "NAYY 4x240 SE"];

/**
 * Largest voltage drop along an LV feeder at the design load, p.u. of 0.4 kV (from the
 * substation's busbar to the farthest tap): 5 %, which with the transformer's drop of
 * about 2–3 % at full load keeps customers well above 0.9 p.u. at the design peak
 * (EN 50160) and leaves headroom for the voltage rise of PV feed-in.
 */
const LV_DESIGN_DROP_MAX = 0.05;

export interface FeederContext {
  g: Graph;
  routing: RoutingGraph;
  sp: ShortestPaths;
  stationNodes: Int32Array;
  profiles: BuildingProfile[];
  pos: XY[];
  ids: string[];
  sid: (s: number) => string;
  order: number[];
  lvBusOf: Int32Array;
  grid: GridAssembly;
  onBuilding: (b: number, bus: number, feeder: string) => void;
  onFeeder: (f: Feeder) => void;
}

/** The substations' shortest-path trees, pruned to the nodes that lead to buildings. */
interface FeederTree {
  /** Buildings per tap node. */
  tapBuildings: Map<number, number[]>;
  /** Reachable nodes, farthest first: every child comes before its parent. */
  post: number[];
  /** Buildings in each node's subtree. */
  count: Int32Array;
  /** Children that lead to buildings. */
  children: number[][];
  isRoot: Uint8Array;
}

/** Design load gathered at each node of the tree, and the nodes cut off into feeders of their own. */
interface FeederCuts {
  cut: Uint8Array;
  accOf: (v: number) => Acc;
}

/**
 * Feeders of every substation: its shortest-path tree over the routing graph (the
 * minimum-cost flow of [P004]'s LV stage), cut into feeders in one post-order
 * pass — whenever the design load gathered at a node exceeds a NAYY 4x240 SE cable,
 * its heaviest child subtrees get their own cable from the substation (laid in the
 * same trench), until the rest fits; likewise when the design-load voltage drop to
 * the farthest building would exceed LV_DESIGN_DROP_MAX (then the subtree with the
 * largest drop goes). Feeders use NAYY 4x150 SE when their design load fits it and
 * 4x240 SE otherwise; service cables NAYY 4x50 SE for houses.
 */
export function buildFeeders(c: FeederContext): void {
  const limit = lineRatingMva(LINE_TYPES[HEAVY_FEEDER_TYPE]) * CABLE_PLANNING_UTILISATION;
  const tree = feederTree(c);
  const cuts = cutFeeders(c, tree, limit);

  // Feeder roots per substation: the root's children and every cut node.
  const { sp } = c;
  const { post, count, isRoot, tapBuildings } = tree;
  const rootsOf: number[][] = Array.from({ length: c.stationNodes.length }, () => []);
  for (const v of post) {
    if (count[v] === 0 || isRoot[v]) continue;
    if (cuts.cut[v] || isRoot[sp.parent[v]]) rootsOf[sp.source[v]].push(v);
  }

  for (const s of c.order) {
    const rootNode = c.stationNodes[s];
    const S = c.sid(s);
    const lvBus = c.lvBusOf[s];
    // Buildings tapped at the substation node itself: service cables from the busbar.
    const direct = tapBuildings.get(rootNode) ?? [];
    if (direct.length) {
      const F = `${S}-F0`;
      const total: Acc = { peakKw: 0, units: 0, pvKwp: 0 };
      for (const b of direct) {
        addProfile(total, c.profiles[b]);
        connectBuilding(c, b, lvBus, rootNode, F);
      }
      c.onFeeder({ id: F, substation: S, typeName: "service cables", parallel: 1, buildings: direct.length, designMva: round6(designMva(total)), ratingMva: 0, lengthKm: 0, headBranch: "" });
    }
    const roots = rootsOf[s].sort((a, b) => sp.dist[a] - sp.dist[b] || a - b);
    roots.forEach((u, fi) => addFeeder(c, tree, cuts, limit, s, u, `${S}-F${fi + 1}`));
  }
}

/** Which buildings tap where, the trees' post-order, subtree building counts and children. */
function feederTree(c: FeederContext): FeederTree {
  const { g, routing, sp, profiles } = c;
  const n = g.n;
  // Buildings per tap node.
  const tapBuildings = new Map<number, number[]>();
  profiles.forEach((_, b) => {
    const v = routing.buildingTap[b];
    const list = tapBuildings.get(v) ?? [];
    list.push(b);
    tapBuildings.set(v, list);
  });
  // Children lists and post-order (farthest first: every child is farther than its parent).
  const reach = [...Array(n).keys()].filter((v) => Number.isFinite(sp.dist[v]));
  const post = reach.sort((a, b) => sp.dist[b] - sp.dist[a] || b - a);
  const count = new Int32Array(n);
  for (const v of post) {
    count[v] += tapBuildings.get(v)?.length ?? 0;
    if (sp.parent[v] >= 0) count[sp.parent[v]] += count[v];
  }
  const children: number[][] = Array.from({ length: n }, () => []);
  for (const v of [...post].reverse()) if (sp.parent[v] >= 0 && count[v] > 0) children[sp.parent[v]].push(v);
  const isRoot = new Uint8Array(n);
  for (const s of c.stationNodes) isRoot[s] = 1;
  return { tapBuildings, post, count, children, isRoot };
}

/** Post-order accumulation of the design load with cuts (cable rating `limit`, MVA, and LV_DESIGN_DROP_MAX). */
function cutFeeders(c: FeederContext, tree: FeederTree, limit: number): FeederCuts {
  const { sp, profiles } = c;
  const { tapBuildings, post, count, children, isRoot } = tree;
  const n = c.g.n;
  const peak = new Float64Array(n);
  const units = new Float64Array(n);
  const pv = new Float64Array(n);
  const cut = new Uint8Array(n);
  /** Largest design-load voltage drop from a node down to the buildings of its (uncut) subtree, p.u. */
  const dropDown = new Float64Array(n);
  const accOf = (v: number): Acc => ({ peakKw: peak[v], units: units[v], pvKwp: pv[v] });
  const dropVia = (v: number, ch: number, t: LineType) => dropPu(t, (sp.dist[ch] - sp.dist[v]) / 1000, designMva(accOf(ch))) + dropDown[ch];
  for (const v of post) {
    if (count[v] === 0) continue;
    for (const b of tapBuildings.get(v) ?? []) {
      peak[v] += profiles[b].peakKw;
      units[v] += profiles[b].households;
      pv[v] += profiles[b].pvKwp;
    }
    if (isRoot[v]) continue;
    const kids = children[v];
    for (const ch of kids) {
      peak[v] += peak[ch];
      units[v] += units[ch];
      pv[v] += pv[ch];
    }
    // Cut while the feeder through v would overload its cable or drop the voltage too far.
    const remaining = [...kids];
    for (;;) {
      const design = designMva(accOf(v));
      const t = feederType(design);
      let below = 0;
      let worst = -1;
      for (const ch of remaining) {
        const d = dropVia(v, ch, t);
        if (d > below) {
          below = d;
          worst = ch;
        }
      }
      const overload = design > limit;
      const tooFar = dropPu(t, sp.dist[v] / 1000, design) + below > LV_DESIGN_DROP_MAX;
      if ((!overload && !tooFar) || remaining.length === 0) {
        dropDown[v] = below;
        break;
      }
      // Overload: split off the heaviest subtree; voltage: the one with the largest drop.
      const ch = overload ? remaining.reduce((a, b) => (designMva(accOf(b)) > designMva(accOf(a)) || (designMva(accOf(b)) === designMva(accOf(a)) && b < a) ? b : a)) : worst;
      remaining.splice(remaining.indexOf(ch), 1);
      cut[ch] = 1;
      peak[v] -= peak[ch];
      units[v] -= units[ch];
      pv[v] -= pv[ch];
    }
  }
  return { cut, accOf };
}

/** Feeder `F` of substation `s` from root node `u`: its cables, buses and buildings. */
function addFeeder(c: FeederContext, tree: FeederTree, cuts: FeederCuts, limit: number, s: number, u: number, F: string): void {
  const { g, sp, grid } = c;
  const { children, tapBuildings } = tree;
  const { cut } = cuts;
  const rootNode = c.stationNodes[s];
  const design = designMva(cuts.accOf(u));
  const light = design <= lineRatingMva(LINE_TYPES[FEEDER_TYPE]) * CABLE_PLANNING_UTILISATION;
  const type = LINE_TYPES[light ? FEEDER_TYPE : HEAVY_FEEDER_TYPE];
  const parallel = light ? 1 : Math.max(1, Math.ceil(design / limit - 1e-9));
  // Members: u's subtree without cut-off parts.
  const members: number[] = [];
  const stack = [u];
  while (stack.length) {
    const v = stack.pop()!;
    members.push(v);
    for (const ch of children[v]) if (!cut[ch]) stack.push(ch);
  }
  const kidsIn = (v: number) => children[v].filter((ch) => !cut[ch]).length;
  const kept = members.filter((v) => (tapBuildings.get(v)?.length ?? 0) > 0 || kidsIn(v) !== 1).sort((a, b) => sp.dist[a] - sp.dist[b] || a - b);
  const busOf = new Map<number, number>([[rootNode, c.lvBusOf[s]]]);
  kept.forEach((v, i) => busOf.set(v, grid.addBus(`${F}-n${i + 1}`, LV_KV, grid.nodeLl(v))));
  let lengthKm = 0;
  let head = "";
  kept.forEach((v, i) => {
    // Walk up to the next kept node (or the substation).
    const path = [v];
    let p = sp.parent[v];
    while (p >= 0 && !busOf.has(p)) {
      path.push(p);
      p = sp.parent[p];
    }
    path.push(p);
    path.reverse();
    const len = pathLength(g, path);
    const id = `lv-${F}-${i + 1}`;
    grid.addLine(id, busOf.get(p)!, busOf.get(v)!, type, len / 1000, path.map(grid.nodeLl), parallel);
    lengthKm += len / 1000;
    if (p === rootNode && !head) head = id;
  });
  let nb = 0;
  for (const v of kept) {
    for (const b of tapBuildings.get(v) ?? []) {
      connectBuilding(c, b, busOf.get(v)!, v, F);
      nb++;
    }
  }
  c.onFeeder({
    id: F,
    substation: c.sid(s),
    typeName: typeName(type, parallel),
    parallel,
    buildings: nb,
    designMva: round6(design),
    ratingMva: round6(lineRatingMva(type, parallel)),
    lengthKm: round6(lengthKm),
    headBranch: head,
  });
}

/** The building's bus and its service cable from the feeder bus at its tap (none when it sits on the tap). */
function connectBuilding(c: FeederContext, b: number, tapBus: number, tapNode: number, feeder: string): void {
  const { grid } = c;
  const id = c.ids[b];
  const lenM = c.routing.serviceM[b];
  if (lenM <= 0) {
    c.onBuilding(b, tapBus, feeder);
    return;
  }
  const p = c.profiles[b];
  // A building's own heat pump and chargers are not diversified on its service cable.
  const undiversified = p.heatPumpKw + p.evKw;
  const design = Math.max(coincidenceFactor(p.households) * (p.peakKw - undiversified) + undiversified, SCENARIO.pvFeedInLimit * p.pvKwp) / 1000 / DESIGN_POWER_FACTOR;
  let type = LINE_TYPES[SERVICE_TYPES[SERVICE_TYPES.length - 1]];
  let parallel = Math.max(1, Math.ceil(design / lineRatingMva(type) - 1e-9));
  for (const name of SERVICE_TYPES) {
    if (design <= lineRatingMva(LINE_TYPES[name])) {
      type = LINE_TYPES[name];
      parallel = 1;
      break;
    }
  }
  const bus = grid.addBus(`${feeder}-${id}`, LV_KV, grid.ll(c.pos[b][0], c.pos[b][1]));
  grid.addLine(`lv-${feeder}-svc-${id}`, tapBus, bus, type, lenM / 1000, [grid.nodeLl(tapNode), grid.ll(c.pos[b][0], c.pos[b][1])], parallel);
  c.onBuilding(b, bus, feeder);
}
