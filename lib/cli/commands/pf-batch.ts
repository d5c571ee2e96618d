import { readFileSync } from "node:fs";
import { closeTies } from "../../powerflow";
import { runBatch } from "../../powerflow/batch";
import { CsvSyntaxError, readCsvRows } from "../../util/csv";
import { CliError, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";

/** One row per scenario, one load-scaling factor per bus (file order). */
export function parseScalesCsv(text: string, nb: number, name: string): Float64Array[] {
  const rows: Float64Array[] = [];
  try {
    readCsvRows(text, ({ cells, line }) => {
      if (cells.length !== nb) throw new CliError(`${name} line ${line}: ${cells.length} factors, the case has ${nb} buses`);
      const row = new Float64Array(nb);
      cells.forEach((c, j) => {
        const v = Number(c);
        if (c.trim() === "" || !Number.isFinite(v)) throw new CliError(`${name} line ${line}, column ${j + 1}: '${c}' is not a number`);
        row[j] = v;
      });
      rows.push(row);
    });
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new CliError(`${name} line ${e.line}: ${e.message}`);
    throw e;
  }
  if (rows.length === 0) throw new CliError(`${name}: no scenarios`);
  return rows;
}

export const pfBatchCommand: Command = {
  usage: "pf-batch <case-file> --scales <csv> [--close-ties] [--vm] [--json]",
  summary: "replay load-scaling scenarios (one factor per bus and row) and report power flows per second",
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      scales: { type: "string" },
      "close-ties": { type: "boolean" },
      vm: { type: "boolean" },
      json: { type: "boolean" },
    });
    if (positionals.length !== 1) throw new UsageError("expected exactly one case file");
    if (!values.scales) throw new UsageError("--scales <csv> is required");
    let net = loadNetworkFile(positionals[0]);
    if (values["close-ties"]) net = closeTies(net);
    let text: string;
    try {
      text = readFileSync(values.scales, "utf8");
    } catch (e) {
      throw new CliError(`cannot read ${values.scales}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const scales = parseScalesCsv(text, net.buses.length, values.scales);
    const r = runBatch(net, scales, { keepVm: !!values.vm });
    const out = {
      scenarios: r.scenarios,
      converged: r.converged,
      pfPerSecond: r.pfPerSecond,
      medianMs: r.medianMs,
      totalMs: r.totalMs,
      iterations: r.iterations,
      ...(values.vm ? { vm: r.vm!.map((v) => Array.from(v)) } : {}),
    };
    if (values.json) printJson(out);
    else process.stdout.write(`${r.scenarios} scenarios, ${r.converged} converged, ${r.pfPerSecond.toFixed(0)} power flows/s (median ${r.medianMs.toFixed(3)} ms, total ${r.totalMs.toFixed(1)} ms)\n`);
  },
};
