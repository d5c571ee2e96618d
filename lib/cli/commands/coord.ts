import { join } from "node:path";
import { hasShared, sharedPath } from "../../bench/shared";
import { runStudy, studyCsv, COORD_METHODS, type StudyReport } from "../../coordination/report";
import { CoordinationInputError, type CoordMethod } from "../../coordination/representation";
import { buildStudy, type FeederCase } from "../../coordination/study";
import { representOnThreads } from "../../coordination/node-represent";
import { OpfInputError } from "../../opf";
import { defaultThreads } from "../../parallel/node-pool";
import { RegionInputError } from "../../regions";
import { CliError, numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";

const FEEDERS: FeederCase[] = ["case10ba", "case33mg", "case118zh"];

function casePath(name: string): string {
  if (!hasShared()) throw new CliError(`the study's MATPOWER cases are read from ${sharedPath("cases/matpower")}, which does not exist (set FLEX_SHARED_DIR)`);
  return join(sharedPath("cases/matpower"), `${name}.m`);
}

export const coordCommand: Command = {
  usage: "coord [--ts <case-file>] [--method lds|slc|exact|pqv|all] [--buses 2,3,...] [--pqv-margin] [--pqv-polynomial-only] [--threads N] [--csv] [--json]",
  summary: "TSO–DSO coordination with regions (papers 000/002): centralized AC-OPF, region-based TSO OPF, DSO post-coordination",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      ts: { type: "string" },
      method: { type: "string" },
      buses: { type: "string" },
      threads: { type: "string" },
      "pqv-margin": { type: "boolean" },
      "pqv-polynomial-only": { type: "boolean" },
      csv: { type: "boolean" },
      json: { type: "boolean" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const m = values.method ?? "all";
    if (m !== "all" && !COORD_METHODS.includes(m as CoordMethod)) throw new UsageError(`--method must be lds, slc, exact, pqv or all, got '${m}'`);
    const methods = m === "all" ? COORD_METHODS : [m as CoordMethod];
    const threads = numberOption(values.threads, "threads", (v) => (!Number.isInteger(v) || v < 1 ? "must be a positive integer" : null)) ?? defaultThreads();
    let buses: number[] | undefined;
    if (values.buses !== undefined) {
      buses = values.buses.split(",").map((s) => Number(s.trim()));
      if (!buses.length || buses.some((b) => !Number.isInteger(b))) throw new UsageError(`--buses must be a comma-separated list of bus numbers, got '${values.buses}'`);
    }
    const ts = loadNetworkFile(values.ts ?? casePath("case30"));
    const feeders = Object.fromEntries(FEEDERS.map((f) => [f, loadNetworkFile(casePath(f))])) as Record<FeederCase, ReturnType<typeof loadNetworkFile>>;
    let report: StudyReport;
    try {
      const study = buildStudy(ts, feeders, { buses });
      const quiet = values.json || values.csv;
      report = await runStudy(study, {
        methods,
        pqvMargin: values["pqv-margin"],
        pqvHull: !values["pqv-polynomial-only"],
        representAll:
          threads > 1
            ? (st, method) =>
                representOnThreads(
                  st.systems.map((s) => ({ net: s.net, units: [s.der] })),
                  method,
                  threads,
                  quiet ? undefined : (d, t) => process.stderr.write(`  ${method} regions ${d}/${t}\n`),
                  { pqvMargin: values["pqv-margin"], pqvHull: !values["pqv-polynomial-only"] },
                )
            : undefined,
        onProgress: quiet
          ? undefined
          : (stage, done, total) => done === 0 && process.stderr.write(`${stage} (${total === 1 ? "" : `${total} systems, `}${threads} thread${threads === 1 ? "" : "s"})\n`),
      });
    } catch (e) {
      if (e instanceof CoordinationInputError || e instanceof RegionInputError || e instanceof OpfInputError) throw new CliError(e.message);
      throw e;
    }
    if (values.json) {
      printJson(report);
      return;
    }
    if (values.csv) {
      process.stdout.write(studyCsv(report));
      return;
    }
    const c = report.centralized;
    const counts: Record<string, number> = {};
    for (const s of report.systems) counts[s.case] = (counts[s.case] ?? 0) + 1;
    const lines = [
      `${report.transmission} with ${report.systems.length} distribution systems (${Object.entries(counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ")})`,
      `centralized AC-OPF (power-coupled, ${c.buses} buses): ${c.status}, f* = ${c.objective.toFixed(4)} $/h, ${c.iterations} iterations, ${c.solveMs.toFixed(0)} ms`,
    ];
    const cv = report.centralizedVoltage;
    if (cv) lines.push(`centralized AC-OPF (voltage-coupled, ${cv.buses} buses): ${cv.status}, f* = ${cv.objective.toFixed(4)} $/h, ${cv.iterations} iterations, ${cv.solveMs.toFixed(0)} ms`);
    lines.push("", "method  f ($/h)      vs f*      violations V/P/Q/branch  TSO ms  DSO ms (max)  regions ms  worst: unit MW, V p.u.");
    for (const r of report.methods) {
      if (r.status !== "optimal") {
        lines.push(`${r.method.padEnd(7)} failed: ${r.message}`);
        continue;
      }
      const v = r.violations;
      lines.push(
        `${r.method.padEnd(7)} ${r.objective.toFixed(4).padStart(10)}  ${`${r.costDeviationPct >= 0 ? "+" : ""}${r.costDeviationPct.toFixed(4)} %`.padStart(10)}  ${`${v.voltage}/${v.p}/${v.q}/${v.branch}`.padStart(22)}  ${r.tsoSolveMs.toFixed(0).padStart(6)}  ${`${r.dsoSolveMs.toFixed(0)} (${r.dsoMaxMs.toFixed(0)})`.padStart(12)}  ${r.regionMs.toFixed(0).padStart(10)}  ${r.worst.unitMW.toFixed(4)}, ${r.worst.voltagePu.toFixed(4)}`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
