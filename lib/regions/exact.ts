import { taskKey, type BoundaryPoint, type Frame, type RegionTask, type TaskOutcome } from "./task";
import { area, type Point } from "./polygon";
import type { RegionProblem } from "./units";

/**
 * Runs batches of region tasks: in this thread with one warm solver, or spread over a
 * pool of workers (worker threads in Node, Web Workers in the browser), each with its own.
 */
export interface TaskRunner {
  run(tasks: RegionTask[]): Promise<TaskOutcome[]>;
  dispose?(): void;
}

export interface ExactRegionOptions {
  /** Directions of the first pass (evenly spaced in the exchange normalized by its range). */
  directions?: number;
  /** ε-constraint steps in p (each: max and min q). */
  epsilonSteps?: number;
  /** Refine where neighbouring points are further apart than this share of the normalized range (1 × 1). */
  maxGap?: number;
  refineRounds?: number;
  onProgress?: (solved: number, message: string) => void;
}

export interface ExactRegion {
  /** Boundary points in order (counter-clockwise). */
  boundary: BoundaryPoint[];
  polygon: Point[];
  areaMW2: number;
  /** Tasks whose OPF did not find a point (infeasible directions are reported, never dropped). */
  failures: { task: RegionTask; status: string; message: string }[];
  opfSolves: number;
  opfIterations: number;
  /** The range of the exchange found by the axis directions (MW, MVAr). */
  range: { pMin: number; pMax: number; qMin: number; qMax: number };
}

/**
 * The exact PQ region (paper 000, Fig. 2's exact bounds) traced with the AC-OPF: the four
 * axis directions give the range of p and q; then N directions evenly spaced in the
 * normalized exchange (support points of the convex hull) and, for regions that are not
 * convex, the ε-constraint sweep of 3FlexAnalyser (p fixed at M levels, q maximized and
 * minimized); then rounds of refinement where neighbouring points are far apart: a
 * direction along the gap's outward normal, or an ε-step at its middle when the boundary
 * there is concave. Points are ordered by angle around the centre of the range (the
 * regions are star-shaped about it). Takes the problem (or just the first frame, which is
 * all the tracing needs: the OPFs themselves run in the runner's solvers).
 */
export async function traceExactRegion(problem: RegionProblem | Frame, runner: TaskRunner, opts: ExactRegionOptions = {}): Promise<ExactRegion> {
  const nDir = opts.directions ?? 24;
  const nEps = opts.epsilonSteps ?? 8;
  const maxGap = opts.maxGap ?? 0.08;
  const rounds = opts.refineRounds ?? 3;
  const all: TaskOutcome[] = [];
  const report = (m: string) => opts.onProgress?.(all.length, m);
  const runBatch = async (tasks: RegionTask[], what: string) => {
    report(`${what}: ${tasks.length} AC-OPF solves`);
    const out = await runner.run(tasks);
    all.push(...out);
    return out;
  };
  // Stage 1: the range of the exchange.
  const first = "centre" in problem ? problem : initialFrame(problem);
  const axis = await runBatch(
    [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2].map((theta) => ({ kind: "direction" as const, theta, frame: first })),
    "range of the exchange",
  );
  const ok = axis.filter((o) => o.point);
  if (ok.length < 4) {
    const why = axis.find((o) => !o.point)?.message ?? "no solution";
    return emptyRegion(all, `the region is empty or the OPF failed on the axis directions: ${why}`);
  }
  const [pHi, qHi, pLo, qLo] = axis.map((o) => o.point!);
  const range = { pMin: pLo.pMw, pMax: pHi.pMw, qMin: qLo.qMvar, qMax: qHi.qMvar };
  const sp = Math.max(range.pMax - range.pMin, 1e-6);
  const sq = Math.max(range.qMax - range.qMin, 1e-6);
  const scale: [number, number] = [sp, sq];
  const centre: Point = [(range.pMin + range.pMax) / 2, (range.qMin + range.qMax) / 2];
  const frame: Frame = { centre, scale };
  // Stage 2: directions and the ε-sweep.
  const dirs: RegionTask[] = Array.from({ length: nDir }, (_, k) => ({ kind: "direction", theta: (2 * Math.PI * (k + 0.5)) / nDir, frame }));
  const eps: RegionTask[] = [];
  for (let k = 1; k <= nEps; k++) {
    const p = range.pMin + (k / (nEps + 1)) * (range.pMax - range.pMin);
    eps.push({ kind: "epsilon", pMw: p, sense: "max", frame });
  }
  for (let k = nEps; k >= 1; k--) {
    const p = range.pMin + (k / (nEps + 1)) * (range.pMax - range.pMin);
    eps.push({ kind: "epsilon", pMw: p, sense: "min", frame });
  }
  await runBatch([...dirs, ...eps], "boundary directions and ε-sweep");
  // Stage 3: refinement where neighbours are far apart.
  const done = new Set(all.map((o) => taskKey(o.task)));
  for (let r = 0; r < rounds; r++) {
    const pts = orderPoints(points(all), centre, scale);
    const tasks = refinementTasks(pts, frame, maxGap, range, done);
    if (tasks.length === 0) break;
    await runBatch(tasks, `refinement round ${r + 1}`);
  }
  const boundary = orderPoints(points(all), centre, scale);
  const polygon = boundary.map((b) => [b.pMw, b.qMvar] as Point);
  return {
    boundary,
    polygon,
    areaMW2: area(polygon),
    failures: all.filter((o) => !o.point).map((o) => ({ task: o.task, status: o.status, message: o.message })),
    opfSolves: all.reduce((s, o) => s + o.solves, 0),
    opfIterations: all.reduce((s, o) => s + o.iterations, 0),
    range,
  };
}

/**
 * The frame of the first (axis) solves: the lossless exchange with the units at their
 * schedule as centre, the units' summed ranges as scale.
 */
export function initialFrame(problem: RegionProblem): Frame {
  const net = problem.base;
  const pd = net.buses.reduce((s, b) => s + b.pdMw, 0) + net.loads.reduce((s, l) => s + l.pMw, 0) - net.fpus.reduce((s, f) => s + f.pMw, 0);
  const qd = net.buses.reduce((s, b) => s + b.qdMvar, 0) + net.loads.reduce((s, l) => s + l.qMvar, 0) - net.fpus.reduce((s, f) => s + f.qMvar, 0);
  const u = problem.units;
  const p0 = u.reduce((s, x) => s + x.p0Mw, 0);
  const q0 = u.reduce((s, x) => s + x.q0Mvar, 0);
  const sp = u.reduce((s, x) => s + x.pMaxMw - x.pMinMw, 0);
  const sq = u.reduce((s, x) => s + x.qMaxMvar - x.qMinMvar, 0);
  const floor = 1e-3 * Math.max(1, Math.abs(pd), Math.abs(qd));
  return { centre: [pd - p0, qd - q0], scale: [Math.max(sp, floor), Math.max(sq, floor)] };
}

function emptyRegion(all: TaskOutcome[], message: string): ExactRegion {
  return {
    boundary: [],
    polygon: [],
    areaMW2: 0,
    failures: [
      ...all.filter((o) => !o.point).map((o) => ({ task: o.task, status: o.status, message: o.message })),
      { task: { kind: "direction", theta: 0, frame: { centre: [0, 0], scale: [1, 1] } }, status: "infeasible", message },
    ],
    opfSolves: all.reduce((s, o) => s + o.solves, 0),
    opfIterations: all.reduce((s, o) => s + o.iterations, 0),
    range: { pMin: NaN, pMax: NaN, qMin: NaN, qMax: NaN },
  };
}

/** Distinct boundary points (points closer than 1e-6 of the range are one). */
function points(all: TaskOutcome[]): BoundaryPoint[] {
  const out: BoundaryPoint[] = [];
  for (const o of all) {
    if (!o.point) continue;
    if (out.some((q) => Math.abs(q.pMw - o.point!.pMw) < 1e-6 && Math.abs(q.qMvar - o.point!.qMvar) < 1e-6)) continue;
    out.push(o.point);
  }
  return out;
}

function orderPoints(pts: BoundaryPoint[], centre: Point, scale: [number, number]): BoundaryPoint[] {
  const ang = (b: BoundaryPoint) => Math.atan2((b.qMvar - centre[1]) / scale[1], (b.pMw - centre[0]) / scale[0]);
  return [...pts].sort((a, b) => ang(a) - ang(b));
}

/**
 * For each gap wider than maxGap (normalized): a direction along the chord's outward
 * normal (finds the boundary between the two where it is convex) and, where the gap spans
 * p, an ε-step at its middle on its chain (max q on the upper chain, which a
 * counter-clockwise boundary runs right to left; min q on the lower one), which also
 * finds concave parts. Tasks already solved are not repeated.
 */
function refinementTasks(pts: BoundaryPoint[], frame: Frame, maxGap: number, range: { pMin: number; pMax: number }, done: Set<string>): RegionTask[] {
  const scale = frame.scale;
  const tasks: RegionTask[] = [];
  const push = (t: RegionTask) => {
    const k = taskKey(t);
    if (done.has(k)) return;
    done.add(k);
    tasks.push(t);
  };
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i];
    const b = pts[(i + 1) % pts.length];
    const dx = (b.pMw - a.pMw) / scale[0];
    const dy = (b.qMvar - a.qMvar) / scale[1];
    if (Math.hypot(dx, dy) <= maxGap) continue;
    // Counter-clockwise boundary: the outward normal of the chord is (dy, −dx).
    push({ kind: "direction", theta: Math.atan2(-dx, dy), frame });
    const midP = (a.pMw + b.pMw) / 2;
    if (Math.abs(dx) > 1e-6 && midP > range.pMin && midP < range.pMax) push({ kind: "epsilon", pMw: midP, sense: dx < 0 ? "max" : "min", frame });
  }
  return tasks;
}
