import type { TaskRunner } from "./exact";
import type { RegionTask, TaskOutcome } from "./exact-solver";

/**
 * A runner over several workers, each with its own warm solver: a batch is cut into
 * contiguous chunks (tasks come ordered along the boundary, so each worker warm-starts
 * from its own neighbouring solutions), run in parallel and joined in order.
 */
export function chunkedRunner(workers: ((tasks: RegionTask[]) => Promise<TaskOutcome[]>)[], dispose?: () => void): TaskRunner {
  return {
    async run(tasks) {
      const n = Math.min(workers.length, Math.max(1, tasks.length));
      const size = Math.ceil(tasks.length / n);
      const parts = await Promise.all(Array.from({ length: n }, (_, i) => workers[i](tasks.slice(i * size, (i + 1) * size))));
      return parts.flat();
    },
    dispose,
  };
}
