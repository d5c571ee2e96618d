import { isHighsLoaded, loadHighs } from "./highs";
import type { LpSolveRequest, LpSolveResult, LpSolveStage, StageProgress } from "./protocol";

const WITH_SOLUTION = new Set(["Optimal", "Time limit reached", "Iteration limit reached", "Bound on objective reached", "Target for objective reached"]);

/** Solve one CPLEX LP-format model with HiGHS; an infeasible model is a status, not an error. */
export async function runLpSolve(req: LpSolveRequest, progress: (p: StageProgress<LpSolveStage>) => void): Promise<LpSolveResult> {
  if (!isHighsLoaded()) progress({ stage: "load", fraction: 0, message: "Loading the HiGHS solver" });
  const highs = await loadHighs();
  progress({ stage: "solve", fraction: 0.1, message: "Solving with HiGHS" });
  const t0 = performance.now();
  let sol: ReturnType<typeof highs.solve>;
  try {
    sol = highs.solve(req.lp, { output_flag: false, ...(req.timeLimitSec ? { time_limit: req.timeLimitSec } : {}) });
  } catch (e) {
    throw new Error(`HiGHS could not read the model: ${(e as Error)?.message ?? String(e)}`);
  }
  const solveMs = performance.now() - t0;
  const hasSolution = WITH_SOLUTION.has(sol.Status) && Number.isFinite(sol.ObjectiveValue);
  const columns: Record<string, number> = {};
  if (hasSolution) for (const [name, col] of Object.entries(sol.Columns)) columns[name] = (col as { Primal: number }).Primal;
  return { status: sol.Status, objective: hasSolution ? sol.ObjectiveValue : null, columns, solveMs };
}
