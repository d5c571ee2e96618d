import type { TaskRunner } from "../exact";
import { taskKey, type BoundaryPoint, type Frame, type RegionTask, type TaskOutcome } from "../task";
import type { RegionProblem } from "../units";

export type Vec3 = [number, number, number];

/** N directions of the Fibonacci lattice on the unit sphere (nearly uniform, deterministic). */
export function fibonacciDirections(n: number): Vec3[] {
  const golden = Math.PI * (3 - Math.sqrt(5));
  return Array.from({ length: n }, (_, i) => {
    const z = 1 - (2 * i + 1) / n;
    const r = Math.sqrt(Math.max(0, 1 - z * z));
    const phi = i * golden;
    return [r * Math.cos(phi), r * Math.sin(phi), z] as Vec3;
  });
}

/** Stage 1: the six axes and the twelve pairwise diagonals (the bounding box and its projections). */
function boxDirections(): Vec3[] {
  const out: Vec3[] = [];
  for (let a = 0; a < 3; a++) {
    for (const s of [1, -1]) {
      const d: Vec3 = [0, 0, 0];
      d[a] = s;
      out.push(d);
    }
  }
  const h = Math.SQRT1_2;
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ]) {
    for (const sa of [1, -1]) {
      for (const sb of [1, -1]) {
        const d: Vec3 = [0, 0, 0];
        d[a] = sa * h;
        d[b] = sb * h;
        out.push(d);
      }
    }
  }
  return out;
}

export interface PqvTraceOptions {
  /** Fibonacci directions of stage 2 (default 200). */
  directions?: number;
  /** Refine where a point and one of its 6 nearest neighbours are further apart than this (normalized units, default 0.5). */
  maxGap?: number;
  refineRounds?: number;
  onProgress?: (solved: number, message: string) => void;
}

export interface PqvTrace {
  boundary: BoundaryPoint[];
  /** Each point's outward normal in the normalized frame (the support direction corrected for the proximal term). */
  normals: Vec3[];
  frame: Frame;
  box: { min: Vec3; max: Vec3 };
  failures: { task: RegionTask; status: string; message: string }[];
  opfSolves: number;
  opfIterations: number;
}

/** The frame of stage 1: lossless exchange with the units at their schedule, the units' ranges, the voltage range. */
export function initialFrame3(problem: RegionProblem): Frame {
  const net = problem.base;
  const sum = (f: (x: { pdMw: number; qdMvar: number }) => number) => net.buses.reduce((s, b) => s + f(b), 0);
  const pd = sum((b) => b.pdMw) + net.loads.reduce((s, l) => s + l.pMw, 0) - net.fpus.reduce((s, f) => s + f.pMw, 0);
  const qd = sum((b) => b.qdMvar) + net.loads.reduce((s, l) => s + l.qMvar, 0) - net.fpus.reduce((s, f) => s + f.qMvar, 0);
  const u = problem.units;
  const sp = u.reduce((s, x) => s + x.pMaxMw - x.pMinMw, 0);
  const sq = u.reduce((s, x) => s + x.qMaxMvar - x.qMinMvar, 0);
  const floor = 1e-3 * Math.max(1, Math.abs(pd), Math.abs(qd));
  const [v0, v1] = problem.vRange ?? [problem.pcc.vmPu, problem.pcc.vmPu];
  return {
    centre: [pd - u.reduce((s, x) => s + x.p0Mw, 0), qd - u.reduce((s, x) => s + x.q0Mvar, 0), (v0 + v1) / 2],
    scale: [Math.max(sp / 2, floor), Math.max(sq / 2, floor), Math.max((v1 - v0) / 2, 1e-4)],
  };
}

const PROXIMAL = 0.05;

/**
 * The PQV feasible operating region's boundary (paper 002): stage 1 solves the AC-OPF along
 * the axes and pairwise diagonals of (p, q, v), which gives the bounding box and its
 * projections; stage 2 along N Fibonacci-lattice directions in the exchange normalized by
 * that box (centre, half-ranges), each warm-started from the nearest solved direction of
 * its worker; then rounds of extra directions between neighbouring points that lie far
 * apart (the normalized bisector of their normals). Each point keeps its dispatch.
 */
export async function tracePqvRegion(problem: RegionProblem | Frame, runner: TaskRunner, opts: PqvTraceOptions = {}): Promise<PqvTrace> {
  const n = opts.directions ?? 200;
  const maxGap = opts.maxGap ?? 0.5;
  const rounds = opts.refineRounds ?? 1;
  const all: TaskOutcome[] = [];
  const run = async (tasks: RegionTask[], what: string) => {
    opts.onProgress?.(
      all.reduce((s, o) => s + o.solves, 0),
      `${what}: ${tasks.length} AC-OPF solves`,
    );
    const out = await runner.run(tasks);
    all.push(...out);
    return out;
  };
  const first = "centre" in problem ? problem : initialFrame3(problem);
  const stage1 = await run(
    boxDirections().map((dir) => ({ kind: "sphere", dir, frame: first }) as RegionTask),
    "stage 1: bounding box and projections",
  );
  const pts1 = stage1.filter((o) => o.point).map((o) => o.point!);
  const failures = () => all.filter((o) => !o.point).map((o) => ({ task: o.task, status: o.status, message: o.message }));
  if (pts1.length < 6) {
    return { boundary: [], normals: [], frame: first, box: { min: [0, 0, 0], max: [0, 0, 0] }, failures: failures(), opfSolves: count(all), opfIterations: iterations(all) };
  }
  const min: Vec3 = [Math.min(...pts1.map((p) => p.pMw)), Math.min(...pts1.map((p) => p.qMvar)), Math.min(...pts1.map((p) => p.vPu))];
  const max: Vec3 = [Math.max(...pts1.map((p) => p.pMw)), Math.max(...pts1.map((p) => p.qMvar)), Math.max(...pts1.map((p) => p.vPu))];
  const frame: Frame = {
    centre: [0, 1, 2].map((d) => (min[d] + max[d]) / 2),
    scale: [0, 1, 2].map((d) => Math.max((max[d] - min[d]) / 2, d === 2 ? 1e-4 : 1e-4 * Math.max(1, Math.abs(max[d])))),
  };
  await run(
    fibonacciDirections(n).map((dir) => ({ kind: "sphere", dir, frame }) as RegionTask),
    `stage 2: ${n} Fibonacci directions`,
  );
  const done = new Set(all.map((o) => taskKey(o.task)));
  for (let r = 0; r < rounds; r++) {
    const tasks = gapDirections(points(all), frame, maxGap, done);
    if (tasks.length === 0) break;
    await run(tasks, `refinement round ${r + 1}`);
  }
  const boundary = points(all);
  return { boundary, normals: boundary.map((b) => normalOf(b, frame)), frame, box: { min, max }, failures: failures(), opfSolves: count(all), opfIterations: iterations(all) };
}

const count = (all: TaskOutcome[]) => all.reduce((s, o) => s + o.solves, 0);
const iterations = (all: TaskOutcome[]) => all.reduce((s, o) => s + o.iterations, 0);

/** Normalized coordinates of a point. */
export function normalized(b: { pMw: number; qMvar: number; vPu: number }, f: Frame): Vec3 {
  return [(b.pMw - f.centre[0]) / f.scale[0], (b.qMvar - f.centre[1]) / f.scale[1], (b.vPu - f.centre[2]) / f.scale[2]];
}

/**
 * The outward normal at a point found along direction d: at the optimum of
 * d·ũ − ρ‖ũ − ũ_c‖² the vector d − 2ρ(ũ − ũ_c) lies in the normal cone (frames of the task
 * and of the tracing may differ; both are expressed in the tracing frame).
 */
function normalOf(b: BoundaryPoint, frame: Frame): Vec3 {
  if (b.task.kind !== "sphere") return [0, 0, 0];
  const tf = b.task.frame;
  const u = normalized(b, tf);
  const g = [0, 1, 2].map((k) => (b.task.kind === "sphere" ? b.task.dir[k] - 2 * PROXIMAL * u[k] : 0));
  // A normal in the task's frame maps to the tracing frame by the ratio of scales.
  const m = [0, 1, 2].map((k) => (g[k] * frame.scale[k]) / tf.scale[k]);
  const l = Math.hypot(...m) || 1;
  return [m[0] / l, m[1] / l, m[2] / l];
}

/** Distinct boundary points (closer than 1e-7 of the scale are one). */
function points(all: TaskOutcome[]): BoundaryPoint[] {
  const out: BoundaryPoint[] = [];
  for (const o of all) {
    if (!o.point) continue;
    const p = o.point;
    if (out.some((q) => Math.abs(q.pMw - p.pMw) < 1e-7 && Math.abs(q.qMvar - p.qMvar) < 1e-7 && Math.abs(q.vPu - p.vPu) < 1e-9)) continue;
    out.push(p);
  }
  return out;
}

/**
 * Between each point and its 6 nearest (in the normalized frame) that lie further apart than
 * maxGap: the bisector of their directions. It runs on the page's main thread between two
 * rounds of the workers: the 6 nearest are kept by insertion (no array of n candidates per
 * point to sort), which took 270 points from 49 ms to about 2 ms.
 */
export function gapDirections(pts: BoundaryPoint[], frame: Frame, maxGap: number, done: Set<string>): RegionTask[] {
  const n = pts.length;
  const xs = new Float64Array(3 * n);
  pts.forEach((p, i) => xs.set(normalized(p, frame), 3 * i));
  const tasks: RegionTask[] = [];
  const K = 6;
  const nearJ = new Int32Array(K);
  const nearD = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = Math.hypot(xs[3 * j] - xs[3 * i], xs[3 * j + 1] - xs[3 * i + 1], xs[3 * j + 2] - xs[3 * i + 2]);
      if (count === K && d >= nearD[K - 1]) continue;
      // Insert (d, j) in the sorted list; ties keep the lower index first, as the stable sort did.
      let k = count < K ? count++ : K - 1;
      while (k > 0 && nearD[k - 1] > d) {
        nearD[k] = nearD[k - 1];
        nearJ[k] = nearJ[k - 1];
        k--;
      }
      nearD[k] = d;
      nearJ[k] = j;
    }
    for (let e = 0; e < count; e++) {
      const j = nearJ[e];
      if (j < i || nearD[e] <= maxGap) continue;
      const a = pts[i].task;
      const b = pts[j].task;
      if (a.kind !== "sphere" || b.kind !== "sphere") continue;
      const m: Vec3 = [a.dir[0] + b.dir[0], a.dir[1] + b.dir[1], a.dir[2] + b.dir[2]];
      const l = Math.hypot(...m);
      if (l < 1e-9) continue;
      const task: RegionTask = { kind: "sphere", dir: [m[0] / l, m[1] / l, m[2] / l], frame };
      const key = taskKey(task);
      if (done.has(key)) continue;
      done.add(key);
      tasks.push(task);
    }
  }
  return tasks;
}
