import type { Network } from "../../grid";
import { OpfInputError } from "../../opf";
import { defaultThreads } from "../../parallel/node-pool";
import { closeTies } from "../../powerflow";
import { boundaryDer, buildRegionProblem, describeTask, computePqRegions, RegionInputError, unitSummary, type PqRegions, type RegionMethod, type TaskRunner } from "../../regions";
import { nodeThreadRunner } from "../../regions/node-runner";
import { CliError, numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";
import { loadDistrictNetwork } from "./district-source";

const METHODS: RegionMethod[] = ["lds", "slc", "exact"];

/** The `region --json` document of one method (fields as the PQ-region issue names them). */
function regionJson(r: PqRegions, method: RegionMethod) {
  const units = unitSummary(r.problem.units).map(({ bus, pMinMW, pMaxMW, qMinMVAr, qMaxMVAr, id, kind }) => ({ bus, pMinMW, pMaxMW, qMinMVAr, qMaxMVAr, id, kind }));
  const pcc = { bus: r.problem.pccBus, ...r.problem.pcc };
  if (method === "exact") {
    const e = r.exact!;
    return {
      method,
      units,
      polygon: e.polygon,
      areaMW2: e.areaMW2,
      boundary: e.boundary.map((b) => ({ pMW: b.pMw, qMVAr: b.qMvar, der: boundaryDer(b, r.problem.units), limits: b.limits })),
      opfSolves: e.opfSolves,
      computeMs: e.computeMs,
      pcc,
      failures: e.failures.map((f) => ({ task: describeTask(f.task), status: f.status, message: f.message })),
    };
  }
  const lds = r.lds!;
  if (method === "lds") {
    return { method, units, polygon: lds.polygon, areaMW2: lds.areaMW2, boundary: [], halfSpaces: lds.halfSpaces, opfSolves: 0, computeMs: lds.computeMs, pcc };
  }
  const slc = r.slc!;
  return { method, units, polygon: slc.polygon, areaMW2: slc.areaMW2, boundary: [], lossModel: slc.lossModel, opfSolves: 0, computeMs: slc.computeMs, pcc };
}

export const regionCommand: Command = {
  usage: "region <case-file> | --district [--seed N] --method lds|slc|exact [--close-ties] [--directions N] [--threads N] [--json]",
  summary: "PQ flexibility region at the PCC: LinDistFlow, loss-compensated or exact (AC-OPF)",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      district: { type: "boolean" },
      seed: { type: "string" },
      method: { type: "string" },
      "close-ties": { type: "boolean" },
      directions: { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean" },
    });
    const method = values.method as RegionMethod | undefined;
    if (!method || !METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(", ")}`);
    if (values.district ? positionals.length !== 0 : positionals.length !== 1) throw new UsageError("give one case file or --district");
    const directions = numberOption(values.directions, "directions", (v) => (!Number.isInteger(v) || v < 4 ? "must be an integer of at least 4" : null));
    const threads = numberOption(values.threads, "threads", (v) => (!Number.isInteger(v) || v < 1 ? "must be a positive integer" : null)) ?? defaultThreads();
    const net: Network = values.district ? await loadDistrictNetwork(values.seed) : loadNetworkFile(positionals[0]);
    let r: PqRegions;
    let runner: TaskRunner | undefined;
    try {
      const problem = buildRegionProblem(values["close-ties"] ? closeTies(net) : net);
      runner = method === "exact" && threads > 1 ? nodeThreadRunner(problem, threads) : undefined;
      r = await computePqRegions(net, [method], { closeTies: values["close-ties"], exact: { directions }, runner });
    } catch (e) {
      if (e instanceof RegionInputError || e instanceof OpfInputError) throw new CliError(e.message);
      throw e;
    } finally {
      runner?.dispose?.();
    }
    if (method !== "exact" && !r.lds) throw new CliError(r.linDistFlowNote ?? "LinDistFlow does not apply to this grid");
    const out = regionJson(r, method);
    if (method === "exact" && r.exact!.failures.length > 0) process.stderr.write(`warning: ${r.exact!.failures.length} boundary solves failed (listed under "failures")\n`);
    if (values.json) {
      printJson(out);
      return;
    }
    const lines = [
      `${net.name}: ${method} region at bus ${r.problem.pccBus}, ${r.problem.units.length} unit${r.problem.units.length === 1 ? "" : "s"} (${r.problem.unitSource})`,
      `area ${out.areaMW2.toFixed(4)} MW·MVAr, ${out.polygon.length} vertices, ${out.opfSolves} AC-OPF solves, ${out.computeMs.toFixed(0)} ms`,
      ...out.polygon.slice(0, 12).map(([p, q]) => `  p ${p.toFixed(4)} MW, q ${q.toFixed(4)} MVAr`),
    ];
    if (out.polygon.length > 12) lines.push(`  … ${out.polygon.length - 12} more (--json lists all)`);
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
