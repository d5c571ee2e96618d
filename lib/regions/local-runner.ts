import type { TaskRunner } from "./exact";
import { ExactRegionSolver } from "./exact-solver";
import type { RegionProblem } from "./units";

/** One solver in this thread, tasks in the given order (each warm-started from the previous). */
export function localRunner(problem: RegionProblem): TaskRunner & { solver: ExactRegionSolver } {
  const solver = new ExactRegionSolver(problem);
  return {
    solver,
    async run(tasks) {
      return tasks.map((t) => solver.solve(t));
    },
  };
}
