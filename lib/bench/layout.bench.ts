import { parseGridFile } from "../grid";
import { computeLayout } from "../layout";
import { syntheticGrid, type SyntheticKind } from "../layout/synthetic";
import { readSharedCase } from "../testing/shared";
import type { Benchmark } from "./types";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Schematic layout (lib/layout) in Node, the code the solver worker runs: synthetic
 * radial and meshed grids of 2,000 and 10,000 buses, and the three MATPOWER cases the
 * DSO view draws. Target (issue 18): under 1 s for 2,000 buses.
 */
export const layoutBench: Benchmark = {
  name: "schematic layout (2,000 and 10,000 buses, case118zh, case533mt_lo, case1354pegase)",
  needsShared: true,
  run(log) {
    const out: Record<string, number> = {};
    const runs = (f: () => ReturnType<typeof computeLayout>, n: number) => {
      const first = f();
      const times = [first.computeMs];
      for (let k = 1; k < n; k++) times.push(f().computeMs);
      return { l: first, first: times[0], med: median(times.slice(1).length ? times.slice(1) : times) };
    };
    for (const buses of [2_000, 10_000]) {
      for (const kind of ["radial", "meshed"] as SyntheticKind[]) {
        const net = syntheticGrid(buses, kind);
        const { l, first, med } = runs(() => computeLayout(net), buses > 5000 && kind === "meshed" ? 3 : 5);
        log(
          `  synthetic ${kind} ${buses.toLocaleString("en")} buses (${net.branches.length} branches, ${l.cyclomatic} loops): ${l.algorithm}, median ${med.toFixed(0)} ms (first ${first.toFixed(0)} ms), ${l.crossings} crossings`,
        );
        out[`${kind}${buses}Ms`] = med;
      }
    }
    for (const name of ["case118zh", "case533mt_lo", "case1354pegase"]) {
      const net = parseGridFile(`${name}.m`, readSharedCase(name));
      const { l, med } = runs(() => computeLayout(net), 5);
      log(`  ${name} (${net.buses.length} buses): ${l.algorithm}, median ${med.toFixed(1)} ms, ${l.crossings} crossings of in-service branches`);
      out[`${name}Ms`] = med;
    }
    return out;
  },
};
