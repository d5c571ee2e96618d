import { parentPort } from "node:worker_threads";
import { ExactRegionSolver, type RegionTask } from "./exact-solver";
import type { RegionProblem } from "./units";

/** Worker-thread entry: one warm ExactRegionSolver per thread, set up by the first message. */
let solver: ExactRegionSolver | null = null;

parentPort!.on("message", (m: { problem?: RegionProblem; tasks: RegionTask[] }) => {
  try {
    if (m.problem) solver = new ExactRegionSolver(m.problem);
    if (!solver) throw new Error("region thread: no problem set");
    const s = solver;
    parentPort!.postMessage({ ok: true, value: m.tasks.map((t) => s.solve(t)) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).message });
  }
});
