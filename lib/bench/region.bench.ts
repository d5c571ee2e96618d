import { readFileSync } from "node:fs";
import { generateDistrict } from "../district";
import { parseMatpowerCase } from "../grid/matpower";
import { defaultThreads } from "../parallel/node-pool";
import { buildRegionProblem, computePqRegions } from "../regions";
import { nodeThreadRunner } from "../regions/node-runner";
import { sharedPath } from "./shared";
import type { Benchmark } from "./types";

/**
 * PQ regions ([P000]): the exact region of case118zh (one DER) in this thread and the
 * default district's (565 units) on worker threads, with LinDistFlow and loss compensation
 * and how they compare. The targets: case118zh with 72 points under 2 s in Node; the
 * district under 10 s in the browser (measured by the e2e story, printed there).
 */
export const regionBench: Benchmark = {
  name: "region: PQ flexibility regions (case118zh, default district)",
  needsShared: true,
  async run(log) {
    const out: Record<string, number> = {};
    const c118 = parseMatpowerCase(readFileSync(sharedPath("cases/matpower/case118zh.m"), "utf8"));
    await computePqRegions(c118, ["exact"], { exact: { directions: 8, epsilonSteps: 2, refineRounds: 0 } }); // warm-up (JIT)
    const t0 = performance.now();
    const r = await computePqRegions(c118, ["lds", "slc", "exact"]);
    const ms = performance.now() - t0;
    const e = r.exact!;
    const cmp = r.comparison.map((c) => `${c.method} IoU ${c.iou.toFixed(3)}, AC-infeasible ${(100 * c.acInfeasibleShare).toFixed(0)} %`).join("; ");
    log(
      `  case118zh, this thread: exact region ${e.boundary.length} points, ${e.opfSolves} AC-OPF solves (${(e.opfIterations / e.opfSolves).toFixed(1)} iterations each) in ${e.computeMs.toFixed(0)} ms = ${((72 * e.computeMs) / e.boundary.length).toFixed(0)} ms per 72 points (target 2000); all three with the comparison ${ms.toFixed(0)} ms; ${cmp}`,
    );
    out.case118zhExactMs = e.computeMs;
    out.case118zhMsPer72 = (72 * e.computeMs) / e.boundary.length;
    const d = generateDistrict().network;
    const threads = defaultThreads();
    for (const n of [1, threads]) {
      const runner = n > 1 ? nodeThreadRunner(buildRegionProblem(d), n) : undefined;
      try {
        const t1 = performance.now();
        const rd = await computePqRegions(d, ["exact"], { runner });
        const ex = rd.exact!;
        log(
          `  default district (565 units), ${n} thread${n > 1 ? "s" : ""}: ${ex.boundary.length} points, ${ex.opfSolves} AC-OPF solves, ${ex.failures.length} without a point, ${(performance.now() - t1).toFixed(0)} ms`,
        );
        out[`districtExactMs${n}`] = performance.now() - t1;
      } finally {
        runner?.dispose?.();
      }
      if (threads === 1) break;
    }
    return out;
  },
};
