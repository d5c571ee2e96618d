import { describe, expect, it } from "vitest";
import { parseGridFile } from "../grid";
import { readSharedCase } from "../testing/shared";
import { buildLayoutGraph, computeLayout, computeLayoutOfGraph, countCrossings, minPointDistance, MIN_BUS_DISTANCE, type SchematicLayout } from "./index";
import { componentsOf } from "./graph";
import { moveBuses, parseStoredLayout, storedLayoutOf } from "./json";
import { syntheticGrid } from "./synthetic";
import { drawTree } from "./tidy-tree";

const edges = (pairs: [number, number][]) => pairs.map(([from, to]) => ({ from, to, inService: true }));
const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function position(l: SchematicLayout, busId: number): [number, number] {
  const i = Array.from(l.busIds).indexOf(busId);
  return [l.x[i], l.y[i]];
}

/** Parent of every bus in a tree drawing: the neighbour one depth step to the left. */
function treeChecks(l: SchematicLayout, pairs: [number, number][]) {
  // No two buses of one depth (same x) closer than one unit.
  const byColumn = new Map<number, number[]>();
  l.x.forEach((x, i) => byColumn.set(x, [...(byColumn.get(x) ?? []), l.y[i]]));
  for (const ys of byColumn.values()) {
    ys.sort((a, b) => a - b);
    for (let k = 1; k < ys.length; k++) expect(ys[k] - ys[k - 1]).toBeGreaterThanOrEqual(1 - 1e-9);
  }
  // Every branch goes one depth step to the right.
  const steps = new Set(pairs.map(([a, b]) => Math.abs(position(l, a)[0] - position(l, b)[0]).toFixed(6)));
  expect(steps.size).toBe(1);
}

describe("tidy tree (Buchheim–Jünger–Leipert)", () => {
  it("centres parents over their children and places leaves one unit apart", () => {
    // 1 → 2, 3, 4; 2 → 5, 6.
    const g = buildLayoutGraph(
      ids(6),
      edges([
        [1, 2],
        [1, 3],
        [1, 4],
        [2, 5],
        [2, 6],
      ]),
      [0],
    );
    const [c] = componentsOf(g);
    const t = drawTree(g, c);
    expect(Array.from(t.depth)).toEqual([0, 1, 1, 1, 2, 2]);
    const b = Array.from(t.breadth);
    expect(b[4]).toBe(0);
    expect(b[5]).toBe(1);
    expect(b[1]).toBe(0.5);
    expect(b[2]).toBe(1.5);
    expect(b[3]).toBe(2.5);
    expect(b[0]).toBe(1.5);
  });

  it("moves a small subtree between two wide ones apart evenly (Walker's spacing of the middle subtrees)", () => {
    // Root with three children: a wide left subtree, a leaf, a wide right subtree.
    const pairs: [number, number][] = [
      [1, 2],
      [1, 3],
      [1, 4],
      [2, 5],
      [2, 6],
      [2, 7],
      [4, 8],
      [4, 9],
      [4, 10],
      [5, 11],
      [10, 12],
    ];
    const g = buildLayoutGraph(ids(12), edges(pairs), [0]);
    const t = drawTree(g, componentsOf(g)[0]);
    const b = Array.from(t.breadth);
    // The leaf 3 lies midway between its siblings 2 and 4.
    expect(b[2] - b[1]).toBeCloseTo(b[3] - b[2], 9);
    expect(b[0]).toBeCloseTo((b[1] + b[3]) / 2, 9);
  });

  it("draws a feeder 20,000 buses long without recursion", () => {
    const n = 20_000;
    const pairs = Array.from({ length: n - 1 }, (_, k) => [k + 1, k + 2] as [number, number]);
    const l = computeLayoutOfGraph(buildLayoutGraph(ids(n), edges(pairs), [0]));
    expect(l.algorithm).toBe("tidy-tree");
    expect(new Set(l.y).size).toBe(1);
    expect(l.x[n - 1]).toBeGreaterThan(l.x[0]);
  });
});

describe("schematic layout of MATPOWER cases", () => {
  for (const name of ["case118zh", "case533mt_lo", "case33bw"]) {
    it(`${name}: a tidy tree from the slack bus, no crossing, buses at least one unit apart`, () => {
      const net = parseGridFile(`${name}.m`, readSharedCase(name));
      const l = computeLayout(net);
      expect(l.algorithm).toBe("tidy-tree");
      expect(l.cyclomatic).toBe(0);
      expect(l.crossings).toBe(0);
      expect(minPointDistance(l.x, l.y)).toBeGreaterThanOrEqual(1 - 1e-9);
      const slack = net.buses.find((b) => b.type === "REF")!.id;
      expect(position(l, slack)[0]).toBe(0);
      treeChecks(
        l,
        net.branches.filter((b) => b.inService).map((b) => [b.from, b.to]),
      );
    });
  }

  it("case1354pegase: meshed, Pivot MDS and springs, few crossings, no two buses overlapping, deterministic", () => {
    const net = parseGridFile("case1354pegase.m", readSharedCase("case1354pegase"));
    const l = computeLayout(net);
    expect(l.algorithm).toBe("force");
    expect(l.cyclomatic).toBe(357);
    const g = buildLayoutGraph(
      net.buses.map((b) => b.id),
      net.branches,
    );
    expect(countCrossings(l.x, l.y, g.ea, g.eb)).toBe(l.crossings);
    // 1710 distinct connections; Pivot MDS alone leaves 1145 crossings, the refinement about 440.
    expect(l.crossings).toBeLessThan(500);
    expect(minPointDistance(l.x, l.y)).toBeGreaterThanOrEqual(MIN_BUS_DISTANCE - 1e-6);
    const again = computeLayout(net);
    expect(Array.from(again.x)).toEqual(Array.from(l.x));
    expect(Array.from(again.y)).toEqual(Array.from(l.y));
  });
});

describe("synthetic grids", () => {
  it("a planar mesh of 2,000 buses is drawn with almost no crossing", () => {
    const l = computeLayout(syntheticGrid(2000, "meshed"));
    expect(l.algorithm).toBe("force");
    expect(l.crossings).toBeLessThan(20);
    expect(minPointDistance(l.x, l.y)).toBeGreaterThanOrEqual(MIN_BUS_DISTANCE - 1e-6);
  });

  it("a radial grid of 10,000 buses is one tidy tree without crossing", () => {
    const net = syntheticGrid(10_000, "radial");
    const l = computeLayout(net);
    expect(l).toMatchObject({ algorithm: "tidy-tree", components: 1, crossings: 0 });
    expect(minPointDistance(l.x, l.y)).toBeGreaterThanOrEqual(1 - 1e-9);
  });
});

describe("components", () => {
  it("packs islands and isolated buses apart; out-of-service branches do not shape the drawing", () => {
    // A tree 1-2-3-4 (slack 1), a triangle 5-6-7, bus 8 alone; 4–5 is open.
    const branches = [
      ...edges([
        [1, 2],
        [2, 3],
        [3, 4],
        [5, 6],
        [6, 7],
        [7, 5],
      ]),
      { from: 4, to: 5, inService: false },
    ];
    const l = computeLayoutOfGraph(buildLayoutGraph(ids(8), branches, [0]));
    expect(l).toMatchObject({ algorithm: "mixed", components: 3, radialComponents: 2, cyclomatic: 1, crossings: 0 });
    expect(minPointDistance(l.x, l.y)).toBeGreaterThanOrEqual(MIN_BUS_DISTANCE - 1e-6);
    expect(Math.min(...l.x)).toBe(0);
    expect(Math.min(...l.y)).toBe(0);
    // The tree's buses are in one row, left to right from the slack.
    expect([1, 2, 3, 4].map((b) => position(l, b)[1])).toEqual([0, 0, 0, 0]);
    expect([1, 2, 3, 4].map((b) => position(l, b)[0])).toEqual([...[1, 2, 3, 4].map((b) => position(l, b)[0])].sort((a, b) => a - b));
  });

  it("refuses a branch to a bus that does not exist, by name", () => {
    expect(() => buildLayoutGraph([1, 2], edges([[1, 3]]))).toThrow("branch 1 (1 → 3) names a bus that is not in the network");
    expect(() => buildLayoutGraph([1, 1], [])).toThrow("bus 1 appears twice");
  });
});

describe("stored layout", () => {
  const l = computeLayout(parseGridFile("case33bw.m", readSharedCase("case33bw")));

  it("round-trips through JSON and records buses moved by hand", () => {
    const stored = storedLayoutOf(l);
    const parsed = parseStoredLayout(JSON.parse(JSON.stringify(stored)));
    expect(parsed).toEqual(stored);
    const moved = moveBuses(parsed, [{ busId: 18, x: 1.23456, y: -2 }]);
    expect(moved.moved).toEqual([18]);
    const i = moved.busIds.indexOf(18);
    expect([moved.x[i], moved.y[i]]).toEqual([1.235, -2]);
    expect(parsed.x[i]).not.toBe(1.235);
  });

  it("names what is wrong", () => {
    const stored = storedLayoutOf(l);
    expect(() => parseStoredLayout({ ...stored, x: stored.x.slice(1) })).toThrow("x: has 32 entries for 33 buses");
    expect(() => parseStoredLayout({ ...stored, y: [...stored.y.slice(0, 32), 1e9] })).toThrow("y[32]: must be a finite number within ±10000000");
    expect(() => parseStoredLayout({ ...stored, y: [...stored.y.slice(0, 32), Infinity] })).toThrow(/^y\[32\]: /);
    expect(() => parseStoredLayout({ ...stored, extra: 1 })).toThrow(/extra/);
    expect(() => moveBuses(stored, [{ busId: 99, x: 0, y: 0 }])).toThrow("bus 99 is not in this grid");
    expect(() => moveBuses(stored, [{ busId: 5, x: NaN, y: 0 }])).toThrow("bus 5: x must be a finite number within ±10000000");
  });
});
