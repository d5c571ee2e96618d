import { readFileSync } from "node:fs";
import { parseMatpowerCase } from "../grid/matpower";
import { runBatch } from "../powerflow/batch";
import { readCsvRows } from "../util/csv";
import { sharedPath } from "./shared";
import type { Benchmark } from "./types";

/**
 * The 200-scenario case533mt_lo batch of ../shared/reference/batch: complete power
 * flows (Newton from the case's start, flows, losses) per second, after two
 * untimed warm-up passes (the reference timed MATPOWER after one warm-up run).
 */
export const powerFlowBench: Benchmark = {
  name: "power flow batch (case533mt_lo, 200 scenarios)",
  needsShared: true,
  run(log) {
    const net = parseMatpowerCase(readFileSync(sharedPath("cases/matpower/case533mt_lo.m"), "utf8"));
    const scales: Float64Array[] = [];
    readCsvRows(readFileSync(sharedPath("reference/batch/case533mt_lo_batch_scales.csv"), "utf8"), (r) => scales.push(Float64Array.from(r.cells, Number)));
    const ref = JSON.parse(readFileSync(sharedPath("reference/batch/case533mt_lo_batch_pf.json"), "utf8"));
    const cold = runBatch(net, scales);
    runBatch(net, scales);
    const runs = [0, 1, 2, 3, 4].map(() => runBatch(net, scales));
    const rates = runs.map((r) => r.pfPerSecond).sort((a, b) => a - b);
    const median = rates[2];
    const mpLegacy = ref.legacy_core?.pf_per_second ?? ref.mp_legacy_core?.pf_per_second ?? 70.4;
    const mpDefault = ref.mp_core_default?.pf_per_second ?? 7.27;
    log(`  first (cold) pass: ${cold.pfPerSecond.toFixed(0)} power flows/s`);
    log(`  warm passes: median ${median.toFixed(0)} power flows/s (min ${rates[0].toFixed(0)}, max ${rates[4].toFixed(0)}), median ${runs[2].medianMs.toFixed(3)} ms per power flow`);
    log(`  all converged: ${runs.every((r) => r.converged === r.scenarios)}; iterations per scenario: ${[...new Set(runs[0].iterations)].join(", ")}`);
    log(
      `  vs MATPOWER on a 2-core machine (reference file): ${(median / mpLegacy).toFixed(1)}x its legacy core (${mpLegacy.toFixed(1)}/s), ${(median / mpDefault).toFixed(0)}x its default core (${mpDefault.toFixed(2)}/s)`,
    );
    return { pfPerSecond: median, pfPerSecondCold: cold.pfPerSecond, medianMs: runs[2].medianMs };
  },
};
