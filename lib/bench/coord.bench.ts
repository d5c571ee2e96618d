import { readFileSync } from "node:fs";
import { parseMatpowerCase } from "../grid/matpower";
import { solveCentralized } from "../coordination/centralized";
import { representOnThreads } from "../coordination/node-represent";
import { coordinate } from "../coordination/coordinate";
import { buildStudy } from "../coordination/study";
import { solveTsoOpf } from "../coordination/tso-opf";
import { defaultThreads } from "../parallel/node-pool";
import { sharedPath } from "./shared";
import type { Benchmark } from "./types";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The 29-feeder coordination study ([P000], [P002]): the centralized AC-OPF of the
 * integrated system (power- and voltage-coupled) against the TSO's OPF over the exact and
 * the PQV regions (median of 3 solves each, regions built once beforehand on worker
 * threads). [P002]: the PQV coordination takes up to 58 % less time than the centralized.
 */
export const coordBench: Benchmark = {
  name: "coord: TSO–DSO coordination, 29-feeder study (centralized vs region-based OPF)",
  needsShared: true,
  async run(log) {
    const load = (n: string) => parseMatpowerCase(readFileSync(sharedPath(`cases/matpower/${n}.m`), "utf8"));
    const study = buildStudy(load("case30"), { case10ba: load("case10ba"), case33mg: load("case33mg"), case118zh: load("case118zh") });
    const out: Record<string, number> = {};
    for (const coupling of ["power", "voltage"] as const) {
      const runs = [0, 1, 2].map(() => solveCentralized(study, coupling));
      out[`central_${coupling}Ms`] = median(runs.map((r) => r.solveMs));
      log(
        `  centralized (${coupling}-coupled, ${runs[0].buses} buses): ${runs[0].status}, ${runs[0].objective.toFixed(4)} $/h, median ${out[`central_${coupling}Ms`].toFixed(0)} ms, ${runs[0].iterations} iterations`,
      );
    }
    const threads = defaultThreads();
    for (const method of ["exact", "pqv"] as const) {
      const t0 = performance.now();
      const reps = await representOnThreads(
        study.systems.map((s) => ({ net: s.net, units: [s.der] })),
        method,
        threads,
      );
      const regionWall = performance.now() - t0;
      const assignments = study.systems.map((s, k) => ({ tsBus: s.tsBus, label: s.name, rep: reps[k].rep, replaceDemand: false }));
      const runs = [0, 1, 2].map(() => solveTsoOpf(study.ts, assignments));
      const ms = median(runs.map((r) => r.solveMs));
      const ref = method === "pqv" ? out.central_voltageMs : out.central_powerMs;
      out[`tso_${method}Ms`] = ms;
      out[`tso_${method}Ratio`] = ms / ref;
      if (method === "pqv") {
        const bare = assignments.map((a) => ({ ...a, rep: { ...a.rep, hullPlanes: [] } }));
        const only = median([0, 1, 2].map(() => solveTsoOpf(study.ts, bare).solveMs));
        out.tso_pqvPolynomialOnlyMs = only;
        log(
          `  TSO OPF over the PQV polynomials alone (paper 002, no inner polytope): median ${only.toFixed(0)} ms = ${(100 * (1 - only / ref)).toFixed(0)} % less time than the voltage-coupled centralized OPF`,
        );
        const round = await coordinate(study, "pqv", reps);
        out.coord_pqvMs = round.tsoSolveMs + round.dsoMaxMs;
        log(
          `  PQV coordination round: TSO ${round.tsoSolveMs.toFixed(0)} ms + the slowest DSO's post-coordination ${round.dsoMaxMs.toFixed(0)} ms (the DSOs run in parallel; summed ${round.dsoSolveMs.toFixed(0)} ms) = ${out.coord_pqvMs.toFixed(0)} ms, ${(100 * (1 - out.coord_pqvMs / ref)).toFixed(0)} % less than the centralized OPF; violations ${JSON.stringify(round.violations)}`,
        );
      }
      log(
        `  TSO OPF over the ${method} regions: ${runs[0].status}, median ${ms.toFixed(0)} ms, ${runs[0].iterations} iterations = ${(100 * (1 - ms / ref)).toFixed(0)} % less time than the ${method === "pqv" ? "voltage" : "power"}-coupled centralized OPF; regions built in ${(regionWall / 1000).toFixed(1)} s on ${threads} threads (offline)`,
      );
    }
    return out;
  },
};
