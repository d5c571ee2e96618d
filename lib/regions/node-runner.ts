import { NodeThreadPool, defaultThreads } from "../parallel/node-pool";
import type { TaskRunner } from "./exact";
import type { RegionTask, TaskOutcome } from "./exact-solver";
import { chunkedRunner } from "./pool";
import type { RegionProblem } from "./units";

/** The exact region's OPFs on Node worker threads (all cores by default), each with its own warm solver. */
export function nodeThreadRunner(problem: RegionProblem, threads = defaultThreads()): TaskRunner {
  const pool = new NodeThreadPool<{ problem?: RegionProblem; tasks: RegionTask[] }, TaskOutcome[]>(new URL("./region-thread.ts", import.meta.url), threads);
  const started = new Set<number>();
  const workers = Array.from({ length: threads }, (_, i) => (tasks: RegionTask[]) => {
    const first = !started.has(i);
    started.add(i);
    return pool.call(i, first ? { problem, tasks } : { tasks });
  });
  return chunkedRunner(workers, () => void pool.dispose());
}
