import { readFileSync } from "node:fs";
import type { Network } from "../../grid";
import { OpfInputError } from "../../opf";
import { defaultThreads } from "../../parallel/node-pool";
import { boundaryDer, RegionInputError, type TaskRunner } from "../../regions";
import { nodeThreadRunner } from "../../regions/node-runner";
import { buildPqvProblem, computePqvRegion, parseUnitList, type PqvRegion } from "../../regions/pqv";
import { CliError, numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";
import { loadDistrictNetwork } from "./district-source";

/** The `pqv --json` document (the fields the PQV issue names, then the rest). */
function pqvJson(r: PqvRegion) {
  const units = r.problem.units;
  return {
    boundary: r.trace.boundary.map((b) => ({ pMW: b.pMw, qMVAr: b.qMvar, vPu: b.vPu, der: boundaryDer(b, units), limits: b.limits })),
    polynomial: { center: r.polynomial.center, scale: r.polynomial.scale, exponents: r.polynomial.exponents, coefficients: r.polynomial.coefficients, degree: r.polynomial.degree },
    costModel: { coefficients: r.costModel.coefficients, r2: r.costModel.r2, rmse: r.costModel.rmse, samples: r.costModel.samples },
    fit: r.fit,
    opfSolves: r.opfSolves,
    computeMs: r.computeMs,
    degrees: r.degrees,
    units: units.map((u) => ({ id: u.id, bus: u.bus, kind: u.kind, pMinMW: u.pMinMw, pMaxMW: u.pMaxMw, qMinMVAr: u.qMinMvar, qMaxMVAr: u.qMaxMvar, chartEdges: u.chart.length })),
    unitSource: r.problem.unitSource,
    vRange: r.problem.vRange,
    failures: r.trace.failures.length,
  };
}

export const pqvCommand: Command = {
  usage: "pqv <case-file> | --district [--seed N] [--close-ties] [--directions N] [--vmin PU] [--vmax PU] [--units FILE] [--threads N] [--json]",
  summary: "3-D PQV feasible operating region at the PCC, its implicit polynomial and quadratic cost (paper 002)",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      district: { type: "boolean" },
      seed: { type: "string" },
      "close-ties": { type: "boolean" },
      directions: { type: "string" },
      vmin: { type: "string" },
      vmax: { type: "string" },
      units: { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean" },
    });
    if (values.district ? positionals.length !== 0 : positionals.length !== 1) throw new UsageError("give one case file or --district");
    const directions = numberOption(values.directions, "directions", (v) => (!Number.isInteger(v) || v < 20 ? "must be an integer of at least 20" : null));
    const vmin = numberOption(values.vmin, "vmin", (v) => (v <= 0 ? "must be positive" : null)) ?? 0.95;
    const vmax = numberOption(values.vmax, "vmax", (v) => (v <= 0 ? "must be positive" : null)) ?? 1.05;
    if (!(vmin < vmax)) throw new UsageError(`--vmin ${vmin} must be below --vmax ${vmax}`);
    const threads = numberOption(values.threads, "threads", (v) => (!Number.isInteger(v) || v < 1 ? "must be a positive integer" : null)) ?? defaultThreads();
    const net: Network = values.district ? await loadDistrictNetwork(values.seed) : loadNetworkFile(positionals[0]);
    let runner: TaskRunner | undefined;
    let r: PqvRegion;
    try {
      const unitList = values.units ? parseUnitList(readFileSync(values.units, "utf8"), net) : undefined;
      const opts = { closeTies: values["close-ties"], vRange: [vmin, vmax] as [number, number], unitList };
      runner = threads > 1 ? nodeThreadRunner(buildPqvProblem(net, opts), threads) : undefined;
      r = await computePqvRegion(net, { ...opts, directions, runner });
    } catch (e) {
      if (e instanceof RegionInputError || e instanceof OpfInputError) throw new CliError(e.message);
      if (e instanceof Error && /^no PQV region/.test(e.message)) throw new CliError(e.message);
      if (e instanceof Error && "code" in e && (e as NodeJS.ErrnoException).code === "ENOENT") throw new CliError(`cannot read ${values.units}: no such file`);
      throw e;
    } finally {
      runner?.dispose?.();
    }
    const out = pqvJson(r);
    if (values.json) {
      printJson(out);
      return;
    }
    const lines = [
      `${net.name}: PQV region at bus ${r.problem.pccBus}, ${r.problem.units.length} units (${r.problem.unitSource}), v ∈ [${vmin}, ${vmax}] p.u.`,
      `${out.boundary.length} boundary points, ${r.opfSolves} AC-OPF solves (${r.trace.failures.length} without a point), ${r.computeMs.toFixed(0)} ms`,
      `box: p ${r.trace.box.min[0].toFixed(4)}…${r.trace.box.max[0].toFixed(4)} MW, q ${r.trace.box.min[1].toFixed(4)}…${r.trace.box.max[1].toFixed(4)} MVAr, v ${r.trace.box.min[2].toFixed(4)}…${r.trace.box.max[2].toFixed(4)} p.u.`,
      `polynomial: degree ${r.polynomial.degree} (held-out errors ${r.degrees.map((d) => `${d.degree}: ${d.heldOutError.toExponential(2)}`).join(", ")}); AC-checked accuracy ${(100 * r.fit.accuracy).toFixed(1)} %, 10 % sign test ${(100 * r.fit.signAccuracy).toFixed(1)} %`,
      `cost: R² ${r.costModel.r2.toFixed(4)}, RMSE ${r.costModel.rmse.toFixed(4)} $/h over ${r.costModel.samples} priced points`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
