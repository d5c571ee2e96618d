import { parseNetworkJson } from "../lib/grid/json";
import type { Network } from "../lib/grid/types";
import { acCheck, compareRegion, computePqRegions, ExactRegionSolver, unitSummary, type RegionProblem } from "../lib/regions";
import type { AcExchangeCheck } from "../lib/regions/ac-check";
import { initialFrame } from "../lib/regions/exact";
import type {
  RegionCompareRequest,
  RegionCompareResult,
  RegionPrepareRequest,
  RegionPrepareResult,
  RegionStage,
  RegionTasksRequest,
  RegionTasksResult,
  StageProgress,
} from "./protocol";

/**
 * The PQ-region jobs of a worker. `region-prepare` builds the problem and the LinDistFlow
 * regions (fast); the exact region's OPFs then arrive as `region-tasks` batches, split by
 * the page over several workers, each of which keeps its problem and a warm
 * ExactRegionSolver between batches; `region-compare` samples the AC check.
 */
let cached: { key: string; problem: RegionProblem; solver: ExactRegionSolver | null; check: AcExchangeCheck | null } | null = null;

function problemFor(key: string, json: string | undefined) {
  if (cached?.key === key) return cached;
  if (!json) throw new Error("region worker: the problem was not sent to this worker");
  cached = { key, problem: JSON.parse(json) as RegionProblem, solver: null, check: null };
  return cached;
}

export async function runRegionPrepare(req: RegionPrepareRequest, progress: (p: StageProgress<RegionStage>) => void): Promise<RegionPrepareResult> {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading the network" });
  const net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;
  progress({ stage: "linear", fraction: 0.3, message: "LinDistFlow and loss compensation" });
  const o = req.options;
  const r = await computePqRegions(net, o.methods.filter((m) => m !== "exact"), {
    closeTies: o.closeTies,
    units: o.units === "auto" ? undefined : o.units,
    der: o.der,
  });
  const problemJson = JSON.stringify(r.problem);
  const key = `${net.name}|${problemJson.length}|${hash(problemJson)}`;
  cached = { key, problem: r.problem, solver: null, check: null };
  return {
    problemKey: key,
    problemJson,
    frame: initialFrame(r.problem),
    summary: { networkName: net.name, pccBus: r.problem.pccBus, unitSource: r.problem.unitSource, units: unitSummary(r.problem.units), pcc: r.problem.pcc },
    lds: r.lds,
    slc: r.slc,
    linDistFlowNote: r.linDistFlowNote,
    workerMs: performance.now() - t0,
  };
}

export function runRegionTasks(req: RegionTasksRequest, progress: (p: StageProgress<RegionStage>) => void): RegionTasksResult {
  const c = problemFor(req.problemKey, req.problemJson);
  c.solver ??= new ExactRegionSolver(c.problem);
  const outcomes = req.tasks.map((t, k) => {
    const o = c.solver!.solve(t);
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

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
