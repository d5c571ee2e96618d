/**
 * Schematic coordinates for grids without geography, computed from the topology alone:
 * each radial component as a tidy tree growing from its slack bus (feeders read left
 * to right), each meshed component by Pivot MDS refined with forces, the components
 * packed side by side. Deterministic: the same grid always gets the same drawing.
 * Units: one unit is the distance between neighbouring buses of a tree (about one
 * branch length in a meshed drawing); y grows downwards, as on the screen.
 */
import type { Network } from "../grid/types";
import { countCrossings } from "./crossings";
import { componentsOf, layoutGraphOf, type Component, type LayoutGraph } from "./graph";
import { separateBuses } from "./overlap";
import { packComponents, type Box } from "./pack";
import { pivotMds } from "./pivot-mds";
import { choosePivots } from "./pivots";
import { DEFAULT_SPRING, refineWithSprings } from "./spring";
import { drawTree } from "./tidy-tree";

export { buildLayoutGraph, type LayoutGraph } from "./graph";
export { countCrossings, minPointDistance } from "./crossings";

/** How a drawing was made: every component radial, every one meshed, or some of each. */
export type LayoutAlgorithm = "tidy-tree" | "force" | "mixed";

export interface SchematicLayout {
  /** Bus ids, in the network's bus order, and their coordinates. */
  busIds: Int32Array;
  x: Float64Array;
  y: Float64Array;
  algorithm: LayoutAlgorithm;
  /** Connected components (of in-service branches), and how many of them are radial. */
  components: number;
  radialComponents: number;
  /** Independent cycles of the grid: 0 when every component is radial. */
  cyclomatic: number;
  /** Crossings between in-service branches drawn as straight lines. */
  crossings: number;
  computeMs: number;
}

export type LayoutStage = "topology" | "tree" | "initial" | "forces" | "finish";

export interface LayoutOptions {
  /** Progress: the stage, the share of the job done (0..1) and a sentence for the operator. */
  onProgress?: (stage: LayoutStage, fraction: number, message: string) => void;
}

/** Least distance between two buses of a meshed drawing, in branch lengths (trees keep 1). */
export const MIN_BUS_DISTANCE = 0.6;

/**
 * Aspect ratio a tree drawing aims for (width / height, like the diagram's frame):
 * the step between depths grows from 1.5 to at most 6 units to approach it.
 */
const TREE_ASPECT = 1.8;
const TREE_STEP = { min: 1.5, max: 6 } as const;

function layoutTree(g: LayoutGraph, c: Component, x: Float64Array, y: Float64Array): Box {
  const t = drawTree(g, c, 1);
  const height = Math.max(1, t.maxBreadth);
  const step = t.maxDepth === 0 ? 1 : Math.min(TREE_STEP.max, Math.max(TREE_STEP.min, (TREE_ASPECT * height) / t.maxDepth));
  for (const v of c.nodes) {
    x[v] = t.depth[v] * step;
    y[v] = t.breadth[v];
  }
  return boxOf(c, x, y);
}

function layoutMeshed(g: LayoutGraph, c: Component, x: Float64Array, y: Float64Array, onSweep: (f: number) => void): Box {
  pivotMds(g, c, choosePivots(g, c), x, y);
  refineWithSprings(g, c, x, y, { ...DEFAULT_SPRING, onSweep });
  // One unit = the median branch length, then no two buses closer than MIN_BUS_DISTANCE.
  const lengths: number[] = [];
  for (const v of c.nodes) for (let q = g.ptr[v]; q < g.ptr[v + 1]; q++) if (g.adj[q] > v) lengths.push(Math.hypot(x[v] - x[g.adj[q]], y[v] - y[g.adj[q]]));
  lengths.sort((a, b) => a - b);
  const median = lengths[lengths.length >> 1];
  if (median > 0)
    for (const v of c.nodes) {
      x[v] /= median;
      y[v] /= median;
    }
  separateBuses(x, y, c.nodes, MIN_BUS_DISTANCE);
  // The slack bus on the left, like the trees' roots.
  let mean = 0;
  for (const v of c.nodes) mean += x[v];
  mean /= c.nodes.length;
  if (x[c.root] > mean) for (const v of c.nodes) x[v] = -x[v];
  return boxOf(c, x, y);
}

function boxOf(c: Component, x: Float64Array, y: Float64Array): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const v of c.nodes) {
    minX = Math.min(minX, x[v]);
    maxX = Math.max(maxX, x[v]);
    minY = Math.min(minY, y[v]);
    maxY = Math.max(maxY, y[v]);
  }
  return { minX, minY, width: maxX - minX, height: maxY - minY };
}

/** The schematic layout of a layout graph (see layoutGraphOf). */
export function computeLayoutOfGraph(g: LayoutGraph, opts: LayoutOptions = {}): SchematicLayout {
  const t0 = performance.now();
  const report = opts.onProgress ?? (() => undefined);
  report("topology", 0, `Reading the topology (${g.n} buses, ${g.ea.length} branches in service)`);
  const comps = componentsOf(g);
  const x = new Float64Array(g.n);
  const y = new Float64Array(g.n);
  let radial = 0;
  let cyclomatic = 0;
  let done = 0;
  const boxes: Box[] = [];
  for (const c of comps) {
    const start = 0.05 + (0.9 * done) / g.n;
    const share = (0.9 * c.nodes.length) / g.n;
    if (c.cyclomatic === 0) {
      if (c.nodes.length > 1) report("tree", start, `Tidy tree of a radial part (${c.nodes.length} buses)`);
      radial++;
      boxes.push(layoutTree(g, c, x, y));
    } else {
      cyclomatic += c.cyclomatic;
      report("initial", start, `Pivot MDS of a meshed part (${c.nodes.length} buses, ${c.cyclomatic} loops)`);
      let shown = -1;
      const onSweep = (f: number) => {
        const pct = Math.floor(f * 20) * 5;
        if (pct === shown) return;
        shown = pct;
        report("forces", start + share * (0.1 + 0.9 * f), `Force refinement of ${c.nodes.length} buses, ${pct} % of the sweeps at most`);
      };
      boxes.push(layoutMeshed(g, c, x, y, onSweep));
    }
    done += c.nodes.length;
  }
  report("finish", 0.95, "Packing the parts and counting crossings");
  packComponents(comps, boxes, x, y);
  const crossings = countCrossings(x, y, g.ea, g.eb);
  const algorithm: LayoutAlgorithm = radial === comps.length ? "tidy-tree" : radial === 0 || comps.every((c) => c.cyclomatic > 0 || c.nodes.length === 1) ? "force" : "mixed";
  return { busIds: g.busIds, x, y, algorithm, components: comps.length, radialComponents: radial, cyclomatic, crossings, computeMs: performance.now() - t0 };
}

/** The schematic layout of a network's buses (in its bus order). */
export function computeLayout(net: Pick<Network, "buses" | "branches">, opts: LayoutOptions = {}): SchematicLayout {
  return computeLayoutOfGraph(layoutGraphOf(net), opts);
}
