import { closeTies, scaleLoads, solvePowerFlow, type PowerFlowResult } from "../../powerflow";
import type { Network } from "../../grid";
import { numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";

function powerFlowJson(net: Network, r: PowerFlowResult) {
  return {
    converged: r.converged,
    status: r.status,
    message: r.message,
    iterations: r.iterations,
    baseMVA: r.baseMVA,
    buses: net.buses.map((b, i) => ({ id: b.id, vm: r.vm[i], vaDeg: r.vaDeg[i] })),
    branches: net.branches.map((br, l) => ({
      id: br.id,
      from: br.from,
      to: br.to,
      inService: br.inService,
      pFromMW: r.pFromMw[l],
      qFromMVAr: r.qFromMvar[l],
      pToMW: r.pToMw[l],
      qToMVAr: r.qToMvar[l],
      loadingPct: Number.isNaN(r.loadingPct[l]) ? null : r.loadingPct[l],
    })),
    lossPMW: r.lossPMw,
    lossQMVAr: r.lossQMvar,
    slackPMW: r.slackPMw,
    slackQMVAr: r.slackQMvar,
    vmMin: r.vmMin,
    vmMinBus: r.vmMinBusId,
    vmMax: r.vmMax,
    vmMaxBus: r.vmMaxBusId,
    maxLoadingPct: r.maxLoadingPct,
    islandedBuses: r.islandedBusIds,
    solveMs: r.solveMs,
  };
}

export const pfCommand: Command = {
  usage: "pf <case-file> [--close-ties] [--load-scale F] [--tol T] [--max-iter N] [--json]",
  summary: "AC power flow (Newton-Raphson) of a MATPOWER .m or project .json grid",
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      "close-ties": { type: "boolean" },
      "load-scale": { type: "string" },
      tol: { type: "string" },
      "max-iter": { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length !== 1) throw new UsageError("expected exactly one case file");
    const scale = numberOption(values["load-scale"], "load-scale", (v) => (v < 0 ? "must not be negative" : null));
    const tol = numberOption(values.tol, "tol", (v) => (v <= 0 ? "must be positive" : null));
    const maxIt = numberOption(values["max-iter"], "max-iter", (v) => (!Number.isInteger(v) || v < 1 ? "must be a positive integer" : null));
    let net = loadNetworkFile(positionals[0]);
    if (values["close-ties"]) net = closeTies(net);
    if (scale !== undefined) net = scaleLoads(net, scale);
    const r = solvePowerFlow(net, { tol, maxIterations: maxIt });
    if (!r.converged) process.stderr.write(`warning: power flow ${r.message}\n`);
    if (values.json) {
      printJson(powerFlowJson(net, r));
      return;
    }
    const lines = [
      `${net.name}: ${net.buses.length} buses, ${net.branches.length} branches (${net.branches.filter((b) => b.inService).length} in service), baseMVA ${net.baseMVA}`,
      `status: ${r.message} (${r.iterations} iterations, max mismatch ${r.maxMismatchPu.toExponential(2)} p.u., ${r.solveMs.toFixed(2)} ms)`,
      `voltage: min ${r.vmMin.toFixed(5)} p.u. at bus ${r.vmMinBusId}, max ${r.vmMax.toFixed(5)} p.u. at bus ${r.vmMaxBusId}`,
      `losses: ${r.lossPMw.toFixed(6)} MW, ${r.lossQMvar.toFixed(6)} MVAr`,
      `slack: ${r.slackPMw.toFixed(6)} MW, ${r.slackQMvar.toFixed(6)} MVAr`,
      r.maxLoadingPct === null
        ? "loading: no branch has a rating"
        : `max loading: ${r.maxLoadingPct.toFixed(2)} % on branch ${net.branches[r.maxLoadingBranch].id} (${net.branches[r.maxLoadingBranch].from}-${net.branches[r.maxLoadingBranch].to})`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
