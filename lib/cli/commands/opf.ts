import type { Network } from "../../grid";
import { AcOpf, OpfInputError, type OpfSolution } from "../../opf";
import { closeTies } from "../../powerflow";
import { CliError, numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";

/** The `opf --json` document (fields as the OPF issue names them; extra fields after them). */
function opfJson(net: Network, s: OpfSolution) {
  const num = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    status: s.status,
    objective: num(s.objective),
    iterations: s.iterations,
    solveMs: s.solveMs,
    buses: net.buses.map((b, i) => ({ id: b.id, vm: num(s.vm[i]), vaDeg: num(s.vaDeg[i]), lamP: num(s.lamP[i]), lamQ: num(s.lamQ[i]) })),
    gens: net.generators.flatMap((g, k) => (g.inService ? [{ bus: g.bus, pgMW: s.pgMw[k], qgMVAr: s.qgMvar[k] }] : [])),
    branches: net.branches.flatMap((br, l) => (br.inService ? [{ from: br.from, to: br.to, sFromMVA: s.sFromMva[l], sToMVA: s.sToMva[l], loadingPct: num(s.loadingPct[l]) }] : [])),
    lossPMW: s.lossPMw,
    message: s.message,
    binding: s.binding,
  };
}

export const opfCommand: Command = {
  usage: "opf <case-file> [--close-ties] [--max-iter N] [--json]",
  summary: "AC optimal power flow (MATPOWER's formulation, primal-dual interior point) with the case's generator costs",
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      "close-ties": { type: "boolean" },
      "max-iter": { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length !== 1) throw new UsageError("expected exactly one case file");
    const maxIt = numberOption(values["max-iter"], "max-iter", (v) => (!Number.isInteger(v) || v < 1 ? "must be a positive integer" : null));
    let net = loadNetworkFile(positionals[0]);
    if (values["close-ties"]) net = closeTies(net);
    let sol: OpfSolution;
    try {
      sol = new AcOpf(net).solve({ maxIterations: maxIt });
    } catch (e) {
      if (e instanceof OpfInputError) throw new CliError(`${positionals[0]}: ${e.message}`);
      throw e;
    }
    if (sol.status !== "optimal") process.stderr.write(`warning: OPF ${sol.status}: ${sol.message}\n`);
    if (values.json) {
      printJson(opfJson(net, sol));
      return;
    }
    process.stdout.write(opfText(net, sol));
  },
};

function opfText(net: Network, s: OpfSolution): string {
  const lines = [
    `${net.name}: ${net.buses.length} buses, ${net.branches.filter((b) => b.inService).length} branches in service, ${net.generators.filter((g) => g.inService).length} generators, baseMVA ${net.baseMVA}`,
    `status: ${s.status} — ${s.message} (${s.iterations} iterations, ${s.solveMs.toFixed(1)} ms)`,
  ];
  if (s.status === "infeasible" && !Number.isFinite(s.objective)) return `${lines.join("\n")}\n`;
  lines.push(`objective: ${s.objective.toFixed(6)} $/h, losses ${s.lossPMw.toFixed(4)} MW`);
  let lo = Infinity;
  let hi = -Infinity;
  s.lamP.forEach((x) => {
    if (Number.isFinite(x)) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  });
  lines.push(`LMP: ${lo.toFixed(4)} … ${hi.toFixed(4)} $/MWh`);
  lines.push("generators (bus: P MW, Q MVAr):");
  net.generators.forEach((g, k) => {
    if (g.inService) lines.push(`  ${String(g.bus).padStart(6)}: ${s.pgMw[k].toFixed(4).padStart(11)} ${s.qgMvar[k].toFixed(4).padStart(11)}`);
  });
  lines.push(s.binding.length ? `binding limits (${s.binding.length}):` : "binding limits: none");
  for (const c of s.binding.slice(0, 30)) {
    lines.push(`  ${c.kind.padEnd(5)} ${c.element}${c.side ? ` (${c.side})` : ""}: ${c.value.toPrecision(7)} of ${c.limit.toPrecision(7)}, price ${c.multiplier.toPrecision(4)}`);
  }
  if (s.binding.length > 30) lines.push(`  … ${s.binding.length - 30} more (--json lists all)`);
  return `${lines.join("\n")}\n`;
}
