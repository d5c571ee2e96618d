import { readFileSync } from "node:fs";
import { generateDistrict } from "../district";
import { parseMatpowerCase } from "../grid/matpower";
import { defaultThreads } from "../parallel/node-pool";
import { buildPqvProblem, computePqvRegion } from "../regions/pqv";
import { nodeThreadRunner } from "../regions/node-runner";
import { sharedPath } from "./shared";
import type { Benchmark } from "./types";

/**
 * PQV regions ([P002]) on worker threads (every core): case533mt_lo with its ties closed
 * (meshed) and 200 Fibonacci directions — the target is ≥ 200 boundary points in
 * under 60 s on 2 cores — and the default district (565 units; the browser's figure, target
 * 30 s, is printed by the e2e story).
 */
export const pqvBench: Benchmark = {
  name: "pqv: PQV feasible operating regions (case533mt_lo meshed, default district)",
  needsShared: true,
  async run(log) {
    const out: Record<string, number> = {};
    const threads = defaultThreads();
    const cases = [
      { label: "case533mt_lo, ties closed", key: "case533", net: parseMatpowerCase(readFileSync(sharedPath("cases/matpower/case533mt_lo.m"), "utf8")), closeTies: true },
      { label: "default district (565 units)", key: "district", net: generateDistrict().network, closeTies: false },
    ];
    for (const c of cases) {
      const runner = threads > 1 ? nodeThreadRunner(buildPqvProblem(c.net, { closeTies: c.closeTies }), threads) : undefined;
      try {
        const t0 = performance.now();
        const r = await computePqvRegion(c.net, { closeTies: c.closeTies, directions: 200, runner });
        const ms = performance.now() - t0;
        log(
          `  ${c.label}, ${threads} thread${threads > 1 ? "s" : ""}: ${r.trace.boundary.length} boundary points (${r.trace.failures.length} directions without one), ${r.opfSolves} AC-OPF solves in ${(ms / 1000).toFixed(1)} s = ${(r.opfSolves / (ms / 1000)).toFixed(1)} solves/s; polynomial degree ${r.polynomial.degree}, AC-checked accuracy ${(100 * r.fit.accuracy).toFixed(1)} %, 10 % sign test ${(100 * r.fit.signAccuracy).toFixed(1)} %, cost R² ${r.costModel.r2.toFixed(3)}`,
        );
        out[`${c.key}Ms`] = ms;
        out[`${c.key}Points`] = r.trace.boundary.length;
        out[`${c.key}Solves`] = r.opfSolves;
      } finally {
        runner?.dispose?.();
      }
    }
    log(`  target: case533mt_lo meshed, ≥ 200 points in 60 s on 2 cores → ${(out.case533Ms / 1000).toFixed(1)} s, ${out.case533Points} points`);
    return out;
  },
};
