import { parseNetworkJson } from "../lib/grid/json";
import type { Network } from "../lib/grid/types";
import { publishedCostModel } from "../lib/coordination/cost-model";
import { balanceCost, CoordinationInputError } from "../lib/coordination/representation";
import { acCheck, compareRegion, computePqRegions, unitSummary, type PqRegions } from "../lib/regions";
import { initialFrame } from "../lib/regions/exact";
import type { RegionCompareRequest, RegionCompareResult, RegionPrepareRequest, RegionPrepareResult, RegionStage, RegionTasksRequest, RegionTasksResult, StageProgress } from "./protocol";
import { problemFor, problemKey, setProblem, solverFor } from "./region-cache";

/**
 * The PQ-region jobs of a worker. `region-prepare` builds the problem and the LinDistFlow
 * regions (fast); the exact region's OPFs then arrive as `region-tasks` batches, split by
 * the page over several workers, each of which keeps its problem and a warm
 * ExactRegionSolver between batches; `region-compare` samples the AC check.
 */

export async function runRegionPrepare(req: RegionPrepareRequest, progress: (p: StageProgress<RegionStage>) => void): Promise<RegionPrepareResult> {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading the network" });
  const net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;
  progress({ stage: "linear", fraction: 0.3, message: "LinDistFlow and loss compensation" });
  const o = req.options;
  const r = await computePqRegions(
    net,
    o.methods.filter((m) => m !== "exact"),
    {
      closeTies: o.closeTies,
      units: o.units === "auto" ? undefined : o.units,
      der: o.der,
    },
  );
  const costs = linearCostModels(r);
  const problemJson = JSON.stringify(r.problem);
  const key = problemKey(net.name, problemJson);
  setProblem(key, r.problem);
  return {
    problemKey: key,
    problemJson,
    frame: initialFrame(r.problem),
    summary: { networkName: net.name, pccBus: r.problem.pccBus, unitSource: r.problem.unitSource, units: unitSummary(r.problem.units), pcc: r.problem.pcc },
    lds: r.lds,
    slc: r.slc,
    linDistFlowNote: r.linDistFlowNote,
    costModels: costs.models,
    costNote: costs.note,
    workerMs: performance.now() - t0,
  };
}

/** The balance costs of U_LDS and U_SLC in their published form (paper 000 section IV-A). */
function linearCostModels(r: PqRegions): { models: RegionPrepareResult["costModels"]; note: string | null } {
  const models: RegionPrepareResult["costModels"] = { lds: null, slc: null };
  try {
    if (r.lds) models.lds = publishedCostModel(balanceCost(r.problem, null), "lossless-balance", null);
    if (r.slc) models.slc = publishedCostModel(balanceCost(r.problem, r.slc.lossModel), "loss-compensated-balance", null);
    return { models, note: null };
  } catch (e) {
    if (e instanceof CoordinationInputError) return { models, note: e.message };
    throw e;
  }
}

export function runRegionTasks(req: RegionTasksRequest, progress: (p: StageProgress<RegionStage>) => void): RegionTasksResult {
  const solver = solverFor(problemFor(req.problemKey, req.problemJson));
  const outcomes = req.tasks.map((t, k) => {
    const o = solver.solve(t);
    progress({ stage: "exact", fraction: (k + 1) / req.tasks.length, message: `${k + 1} of ${req.tasks.length} AC-OPF solves` });
    return o;
  });
  return { outcomes };
}

export function runRegionCompare(req: RegionCompareRequest, progress: (p: StageProgress<RegionStage>) => void): RegionCompareResult {
  const c = problemFor(req.problemKey, req.problemJson);
  c.check ??= acCheck(c.problem);
  const out = [];
  if (req.lds) {
    progress({ stage: "compare", fraction: 0, message: "AC check of U_LDS" });
    out.push(compareRegion("lds", req.lds, req.exact, c.check));
  }
  if (req.slc) {
    progress({ stage: "compare", fraction: 0.5, message: "AC check of U_SLC" });
    out.push(compareRegion("slc", req.slc, req.exact, c.check));
  }
  return { comparison: out };
}
