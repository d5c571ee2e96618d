import { DEFAULT_DISTRICT_SEED, generateDistrict } from "../district";
import type { Benchmark } from "./types";

function timeMs(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Generation of the default district (241 buildings: layout, k-means, routing,
 * feeders, MV rings, network assembly and validation) and of a 1,000-building one,
 * in Node. Target: well under a second for the default.
 */
export const districtBench: Benchmark = {
  name: "district generation (default 241 buildings, and 1,000)",
  run(log) {
    const cold = timeMs(() => generateDistrict({ seed: DEFAULT_DISTRICT_SEED }));
    const warm = Array.from({ length: 7 }, () => timeMs(() => generateDistrict({ seed: DEFAULT_DISTRICT_SEED })));
    const big = Array.from({ length: 3 }, () => timeMs(() => generateDistrict({ seed: DEFAULT_DISTRICT_SEED, buildings: 1000 })));
    const d = generateDistrict({ seed: DEFAULT_DISTRICT_SEED });
    log(`  default district: ${d.buildings.length} buildings, ${d.substations.length} substations, ${d.network.buses.length} buses, ${d.network.branches.length} branches`);
    log(`  default: first run ${cold.toFixed(0)} ms, then median ${median(warm).toFixed(1)} ms (min ${Math.min(...warm).toFixed(1)}, max ${Math.max(...warm).toFixed(1)})`);
    log(`  1,000 buildings: median ${median(big).toFixed(0)} ms (min ${Math.min(...big).toFixed(0)}, max ${Math.max(...big).toFixed(0)})`);
    return { defaultColdMs: cold, defaultMedianMs: median(warm), thousandMedianMs: median(big) };
  },
};
