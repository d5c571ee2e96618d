import { parseNetworkJson } from "../lib/grid/json";
import type { Network } from "../lib/grid/types";
import { unitSummary, type BoundaryPoint, type TaskOutcome } from "../lib/regions";
import { buildPqvProblem, fitPolynomial, parseUnitList, polynomialViews, samplePlan, summarizeSamples } from "../lib/regions/pqv";
import { initialFrame3 } from "../lib/regions/pqv/trace";
import type { PqvFinishRequest, PqvFinishResult, PqvFitRequest, PqvFitResult, PqvPrepareRequest, PqvPrepareResult, PqvStage, StageProgress } from "./protocol";
import { problemKey, setProblem } from "./region-cache";

/**
 * The PQV region's jobs of a worker (paper 002). `pqv-prepare` builds the problem; the
 * boundary's AC-OPFs run as `region-tasks` batches over the page's workers; `pqv-fit`
 * fits the implicit polynomial (degrees 2, 4, 6 by held-out error) and plans the checks;
 * after those ran as `region-tasks` too, `pqv-finish` classifies, fits the cost model
 * and evaluates the polynomial on the grids the 3-D view draws.
 */
export function runPqvPrepare(req: PqvPrepareRequest, progress: (p: StageProgress<PqvStage>) => void): PqvPrepareResult {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading the network" });
  const net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;
  const unitList = req.options.unitListJson ? parseUnitList(req.options.unitListJson, net) : undefined;
  const problem = buildPqvProblem(net, { closeTies: req.options.closeTies, vRange: req.options.vRange, unitList });
  const problemJson = JSON.stringify(problem);
  const key = problemKey(`${net.name}|pqv`, problemJson);
  setProblem(key, problem);
  return {
    problemKey: key,
    problemJson,
    frame: initialFrame3(problem),
    summary: { networkName: net.name, pccBus: problem.pccBus, unitSource: problem.unitSource, units: unitSummary(problem.units), vRange: problem.vRange! },
    workerMs: performance.now() - t0,
  };
}

export function runPqvFit(req: PqvFitRequest, progress: (p: StageProgress<PqvStage>) => void): PqvFitResult {
  progress({ stage: "fit", fraction: 0, message: `Fitting the implicit polynomial to ${req.boundary.length} points` });
  const trace = { boundary: req.boundary as BoundaryPoint[], normals: req.normals, frame: req.frame };
  const { poly, degrees } = fitPolynomial(trace);
  return { polynomial: poly, degrees, plan: samplePlan(trace) };
}

export function runPqvFinish(req: PqvFinishRequest, progress: (p: StageProgress<PqvStage>) => void): PqvFinishResult {
  progress({ stage: "finish", fraction: 0, message: "Classification, cost model and the 3-D view" });
  const trace = { boundary: req.boundary as BoundaryPoint[], frame: req.frame };
  const s = summarizeSamples(trace, req.polynomial, req.plan, req.outcomes as TaskOutcome[]);
  return { fit: s.fit, costModel: s.cost, hull: s.hull, views: polynomialViews(req.polynomial, req.box) };
}
