import type { BoundaryPoint } from "@/lib/regions";
import { tracePqvRegion, type PqvTrace } from "@/lib/regions/pqv/trace";
import type { PqvFinishResult, PqvFitResult, PqvJobOptions, PqvPrepareResult } from "@/solver-worker/protocol";
import { workerPoolRunner } from "./region-pool";
import type { SolverClient } from "./solver-client";

export interface PqvJobResult {
  prepared: PqvPrepareResult;
  trace: PqvTrace;
  fitted: PqvFitResult;
  finished: PqvFinishResult;
  opfSolves: number;
  workers: number;
  wallMs: number;
}

const lite = (b: BoundaryPoint) => ({ pMw: b.pMw, qMvar: b.qMvar, vPu: b.vPu, task: b.task });

/**
 * A PQV region over the page's solver workers ([P002]): prepare on the first worker, the
 * boundary's AC-OPFs spread over all (this thread only picks directions), the polynomial fit
 * on the first, the AC checks and prices spread again, and the classification, cost model
 * and 3-D grids on the first.
 */
export async function runPqvJob(clients: SolverClient[], networkText: string, options: PqvJobOptions, onProgress: (solved: number, message: string) => void): Promise<PqvJobResult> {
  const t0 = performance.now();
  onProgress(0, "Building the PQV problem");
  const prepared = await clients[0].run("pqv-prepare", { network: networkText, options });
  let solved = 0;
  const runner = workerPoolRunner(clients, prepared.problemKey, prepared.problemJson, () => {
    solved++;
    onProgress(solved, `${solved} AC-OPF solves on ${clients.length} worker${clients.length > 1 ? "s" : ""}`);
  });
  const trace = await tracePqvRegion(prepared.frame, runner, { directions: options.directions, onProgress: (_n, m) => onProgress(solved, m) });
  if (trace.boundary.length < 20) throw new Error(`no PQV region: ${trace.boundary.length} boundary points (${trace.failures[0]?.message ?? "too few points"})`);
  onProgress(solved, "Fitting the implicit polynomial");
  const boundary = trace.boundary.map(lite);
  const fitted = await clients[0].run("pqv-fit", { boundary, normals: trace.normals, frame: trace.frame });
  onProgress(solved, `Checking and pricing ${fitted.plan.tasks.length} points by AC-OPF`);
  const outcomes = await runner.run(fitted.plan.tasks);
  const finished = await clients[0].run("pqv-finish", {
    boundary,
    frame: trace.frame,
    box: trace.box,
    polynomial: fitted.polynomial,
    plan: fitted.plan,
    outcomes: outcomes.map((o) => ({ point: o.point && { pMw: o.point.pMw, qMvar: o.point.qMvar, vPu: o.point.vPu, costPerH: o.point.costPerH }, solves: o.solves })),
  });
  return { prepared, trace, fitted, finished, opfSolves: solved, workers: clients.length, wallMs: performance.now() - t0 };
}
