import { parseNetworkJson } from "../lib/grid/json";
import type { Network } from "../lib/grid/types";
import { AcOpf } from "../lib/opf";
import { closeTies } from "../lib/powerflow";
import type { OpfPayload, OpfRequest, OpfStage, StageProgress } from "./protocol";

/**
 * The OPF job of the worker: build the model (refusing what the OPF cannot solve, e.g.
 * a grid without generator costs, with the model's message), iterate with a progress
 * report per interior-point iteration, and return the result as typed arrays.
 */
export function runOpf(req: OpfRequest, progress: (p: StageProgress<OpfStage>) => void): OpfPayload {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading and validating the network" });
  let net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;
  if (req.options?.closeTies) net = closeTies(net);
  progress({ stage: "prepare", fraction: 0.05, message: `Building the OPF model (${net.buses.length} buses, ${net.generators.length} generators)` });
  const opf = new AcOpf(net);
  const s = opf.solve({
    maxIterations: req.options?.maxIterations,
    onIteration: (it) =>
      progress({
        stage: "iterate",
        // The iteration count is not known in advance; MIPS needs 10-80.
        fraction: 0.1 + 0.85 * (1 - 1 / (1 + it.iteration / 15)),
        message: `Iteration ${it.iteration}: ${Number.isFinite(it.objective) ? it.objective.toFixed(2) : "—"} $/h, feasibility ${it.feasCond.toExponential(1)}, optimality ${it.gradCond.toExponential(1)}`,
      }),
  });
  progress({ stage: "results", fraction: 0.97, message: "Flows, prices and binding limits" });
  const h = s.history;
  return {
    summary: {
      networkName: net.name,
      status: s.status,
      message: s.message,
      objective: Number.isFinite(s.objective) ? s.objective : null,
      iterations: s.iterations,
      lossPMw: s.lossPMw,
      solveMs: s.solveMs,
      workerMs: performance.now() - t0,
    },
    buses: {
      ids: Int32Array.from(net.buses, (b) => b.id),
      vmPu: s.vm,
      vaDeg: s.vaDeg,
      vminPu: Float64Array.from(net.buses, (b) => b.vminPu),
      vmaxPu: Float64Array.from(net.buses, (b) => b.vmaxPu),
      lamP: s.lamP,
      lamQ: s.lamQ,
    },
    gens: {
      ids: net.generators.map((g) => g.id),
      bus: Int32Array.from(net.generators, (g) => g.bus),
      inService: Uint8Array.from(net.generators, (g) => (g.inService ? 1 : 0)),
      pgMw: s.pgMw,
      qgMvar: s.qgMvar,
      pminMw: Float64Array.from(net.generators, (g) => g.pminMw),
      pmaxMw: Float64Array.from(net.generators, (g) => g.pmaxMw),
      qminMvar: Float64Array.from(net.generators, (g) => g.qminMvar),
      qmaxMvar: Float64Array.from(net.generators, (g) => g.qmaxMvar),
    },
    branches: {
      ids: net.branches.map((b) => b.id),
      from: Int32Array.from(net.branches, (b) => b.from),
      to: Int32Array.from(net.branches, (b) => b.to),
      sFromMva: s.sFromMva,
      sToMva: s.sToMva,
      loadingPct: s.loadingPct,
    },
    binding: s.binding,
    history: {
      objective: Float64Array.from(h, (x) => x.objective),
      feasCond: Float64Array.from(h, (x) => x.feasCond),
      gradCond: Float64Array.from(h, (x) => x.gradCond),
      compCond: Float64Array.from(h, (x) => x.compCond),
    },
  };
}
