import { parseNetworkJson } from "../lib/grid/json";
import { toPerUnit } from "../lib/grid/per-unit";
import type { Network } from "../lib/grid/types";
import { computeResults } from "../lib/powerflow/results";
import { PowerFlowSolver } from "../lib/powerflow/solver";
import type { PowerFlowPayload, PowerFlowRequest, PowerFlowStage, StageProgress } from "./protocol";

/**
 * The power flow job of the worker: the same steps as lib/powerflow's solvePowerFlow
 * (per-unit model, solver set-up, Newton solve, results), with a progress report
 * between them so the page can show where a long run is.
 */
export function runPowerFlow(req: PowerFlowRequest, progress: (p: StageProgress<PowerFlowStage>) => void): PowerFlowPayload {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading and validating the network" });
  const net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;

  progress({ stage: "prepare", fraction: 0.25, message: `Building Ybus and the Jacobian pattern (${net.buses.length} buses, ${net.branches.length} branches)` });
  const tSolve = performance.now();
  const solver = new PowerFlowSolver(toPerUnit(net));
  const inj = solver.baseInjections();

  progress({ stage: "solve", fraction: 0.5, message: "Newton–Raphson iterations" });
  const sol = solver.solve(inj, req.options ?? {});

  progress({ stage: "results", fraction: 0.85, message: "Branch flows and losses" });
  const r = computeResults(solver, sol, inj, performance.now() - tSolve);

  const nb = net.buses.length;
  const vminPu = new Float64Array(nb);
  const vmaxPu = new Float64Array(nb);
  net.buses.forEach((b, i) => {
    vminPu[i] = b.vminPu;
    vmaxPu[i] = b.vmaxPu;
  });
  const inService = new Uint8Array(net.branches.length);
  net.branches.forEach((b, l) => (inService[l] = b.inService ? 1 : 0));
  return {
    summary: {
      networkName: net.name,
      baseMVA: r.baseMVA,
      status: r.status,
      converged: r.converged,
      iterations: r.iterations,
      maxMismatchPu: r.maxMismatchPu,
      message: r.message,
      vmMin: r.vmMin,
      vmMinBusId: r.vmMinBusId,
      vmMax: r.vmMax,
      vmMaxBusId: r.vmMaxBusId,
      lossPMw: r.lossPMw,
      lossQMvar: r.lossQMvar,
      slackPMw: r.slackPMw,
      slackQMvar: r.slackQMvar,
      maxLoadingPct: r.maxLoadingPct,
      maxLoadingBranchId: r.maxLoadingBranch >= 0 ? net.branches[r.maxLoadingBranch].id : null,
      islandedBusIds: r.islandedBusIds,
      solveMs: r.solveMs,
      workerMs: performance.now() - t0,
    },
    buses: { ids: Int32Array.from(r.busIds), vmPu: r.vm, vaDeg: r.vaDeg, vminPu, vmaxPu },
    branches: {
      ids: net.branches.map((b) => b.id),
      names: net.branches.map((b) => b.name ?? null),
      from: Int32Array.from(net.branches, (b) => b.from),
      to: Int32Array.from(net.branches, (b) => b.to),
      inService,
      pFromMw: r.pFromMw,
      qFromMvar: r.qFromMvar,
      pToMw: r.pToMw,
      qToMvar: r.qToMvar,
      loadingPct: r.loadingPct,
      lossPMw: r.branchLossPMw,
      lossQMvar: r.branchLossQMvar,
    },
  };
}
