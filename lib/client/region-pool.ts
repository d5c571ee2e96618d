import type { RegionTask } from "@/lib/regions";
import type { TaskRunner } from "@/lib/regions/exact";
import { chunkedRunner } from "@/lib/regions/pool";
import type { SolverClient } from "./solver-client";

/**
 * A task runner over the page's solver workers for one region problem: each batch is split
 * over the workers (each keeps the problem and a warm solver), the first of which already
 * holds the problem from the prepare message; the others receive it with their first batch.
 * `onSolved` is told of every AC-OPF as it finishes.
 */
export function workerPoolRunner(clients: SolverClient[], problemKey: string, problemJson: string, onSolved: () => void): TaskRunner {
  const seen = new Set<number>([0]);
  const workers = clients.map((c, i) => async (tasks: RegionTask[]) => {
    if (tasks.length === 0) return [];
    const first = !seen.has(i);
    seen.add(i);
    const r = await c.run("region-tasks", { problemKey, problemJson: first ? problemJson : undefined, tasks }, { onProgress: onSolved });
    return r.outcomes;
  });
  return chunkedRunner(workers);
}
