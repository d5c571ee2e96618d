import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../util/mulberry32";
import { taskKey, type BoundaryPoint, type Frame, type RegionTask } from "../task";
import { fibonacciDirections, gapDirections, normalized, type Vec3 } from "./trace";

/** The rule written out plainly: each point's 6 nearest by a full stable sort, then the far ones' bisectors. */
function reference(pts: BoundaryPoint[], frame: Frame, maxGap: number): string[] {
  const xs = pts.map((p) => normalized(p, frame));
  const done = new Set<string>();
  const out: string[] = [];
  pts.forEach((p, i) => {
    const near = xs
      .map((x, j) => ({ j, d: Math.hypot(x[0] - xs[i][0], x[1] - xs[i][1], x[2] - xs[i][2]) }))
      .filter((e) => e.j !== i)
      .sort((a, b) => a.d - b.d)
      .slice(0, 6);
    for (const { j, d } of near) {
      const [a, b] = [p.task, pts[j].task];
      if (j < i || d <= maxGap || a.kind !== "sphere" || b.kind !== "sphere") continue;
      const m = [0, 1, 2].map((k) => a.dir[k] + b.dir[k]) as Vec3;
      const l = Math.hypot(...m);
      if (l < 1e-9) continue;
      const key = taskKey({ kind: "sphere", dir: [m[0] / l, m[1] / l, m[2] / l], frame });
      if (!done.has(key)) out.push(key);
      done.add(key);
    }
  });
  return out;
}

describe("PQV refinement directions", () => {
  it("are the same tasks, in the same order, as a full sort of every point's neighbours (300 random points, ties included)", () => {
    const rnd = mulberry32(7);
    const frame: Frame = { centre: [1, -0.5, 1], scale: [2, 1, 0.05] };
    const dirs = fibonacciDirections(300);
    const pts: BoundaryPoint[] = dirs.map((dir, i) => {
      const task: RegionTask = { kind: "sphere", dir, frame };
      // Every 10th point is a copy of the previous one: equal distances must keep the index order.
      const r = i % 10 === 9 ? 1 : 0.5 + rnd();
      const src = i % 10 === 9 ? dirs[i - 1] : dir;
      return { pMw: frame.centre[0] + frame.scale[0] * r * src[0], qMvar: frame.centre[1] + frame.scale[1] * r * src[1], vPu: frame.centre[2] + frame.scale[2] * r * src[2], task } as BoundaryPoint;
    });
    for (const maxGap of [0.1, 0.3, 0.5]) {
      const got = gapDirections(pts, frame, maxGap, new Set()).map(taskKey);
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(reference(pts, frame, maxGap));
    }
  });
});
