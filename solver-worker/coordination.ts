import { postCoordinate } from "../lib/coordination/post";
import { CoordinationInputError, fromPublished } from "../lib/coordination/representation";
import { solveTsoOpf, type PccAssignment } from "../lib/coordination/tso-opf";
import { parseNetworkJson } from "../lib/grid/json";
import type { Network } from "../lib/grid/types";
import { unitSummary } from "../lib/regions";
import { buildStoredProblem } from "../lib/regions/problem-options";
import { parsePublishedRegion } from "../lib/regions/published";
import type { CoordinateRequest, CoordinateResult, CoordinateStage, PostCoordinateRequest, PostCoordinateResult, PostCoordinateStage, StageProgress } from "./protocol";

/**
 * The TSO's coordination (paper 000 eq. 8, paper 002's FOR-based AC-OPF): every assigned
 * region as its representation (fromPublished) at its PCC bus of the transmission grid, one
 * AC-OPF over all of them; the set-points, the DSOs' costs and the LMPs at the PCCs.
 */
export function runCoordinate(req: CoordinateRequest, progress: (p: StageProgress<CoordinateStage>) => void): CoordinateResult {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading the transmission grid" });
  const ts = parseNetworkJson(req.network);
  if (req.assignments.length === 0) throw new CoordinationInputError("assign at least one published region to a PCC bus");
  const buses = new Set<number>();
  for (const a of req.assignments) {
    if (buses.has(a.tsBus)) throw new CoordinationInputError(`two regions are assigned to PCC bus ${a.tsBus}: one distribution system per PCC bus`);
    buses.add(a.tsBus);
  }
  progress({ stage: "represent", fraction: 0.1, message: `Representing ${req.assignments.length} region${req.assignments.length === 1 ? "" : "s"}` });
  const assignments: PccAssignment[] = req.assignments.map((a) => ({ tsBus: a.tsBus, label: a.label, rep: fromPublished(parsePublishedRegion(a.region)), replaceDemand: req.replaceDemand }));
  progress({ stage: "solve", fraction: 0.2, message: `AC-OPF of ${ts.name} with ${assignments.length} region${assignments.length === 1 ? "" : "s"} at their PCCs` });
  const r = solveTsoOpf(ts, assignments);
  return {
    networkName: ts.name,
    status: r.status,
    message: r.message,
    objective: r.objective,
    tsCostPerH: r.tsCostPerH,
    setPoints: r.setPoints.map((sp, k) => ({ ...sp, regionId: req.assignments[k].regionId, method: assignments[k].rep.method, costBasis: assignments[k].rep.costBasis })),
    binding: r.binding,
    iterations: r.iterations,
    solveMs: r.solveMs,
    workerMs: performance.now() - t0,
  };
}

/**
 * The DSO's post-coordination (paper 000 section IV-B): its own grid, the problem of the
 * region it published, the PCC held at the TSO's set-point; the units' least-cost dispatch
 * by AC-OPF, or the dispatch closest to the limits with the limits it exceeds.
 */
export function runPostCoordinate(req: PostCoordinateRequest, progress: (p: StageProgress<PostCoordinateStage>) => void): PostCoordinateResult {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading the network" });
  const net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;
  progress({ stage: "problem", fraction: 0.1, message: "Building the region's problem" });
  const problem = buildStoredProblem(net, req.options);
  progress({ stage: "dispatch", fraction: 0.2, message: "Local AC-OPF with the PCC at the set-point" });
  const { vm, ...post } = postCoordinate(problem, req.setPoint);
  const ids = problem.base.buses.map((b) => b.id);
  return {
    networkName: net.name,
    pccBus: problem.pccBus,
    units: unitSummary(problem.units),
    post,
    buses: { ids: Int32Array.from(ids), vmPu: vm.length === ids.length ? Float64Array.from(vm) : new Float64Array(0) },
    workerMs: performance.now() - t0,
  };
}
