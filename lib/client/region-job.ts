import type { ExactRegion, RegionComparison } from "@/lib/regions";
import { traceExactRegion } from "@/lib/regions/exact";
import type { RegionJobOptions, RegionPrepareResult } from "@/solver-worker/protocol";
import { workerPoolRunner } from "./region-pool";
import type { SolverClient } from "./solver-client";

export interface RegionJobProgress {
  stage: "prepare" | "exact" | "compare";
  /** AC-OPF solves done and the size of the current batch. */
  solved: number;
  message: string;
}

export interface RegionJobResult {
  prepared: RegionPrepareResult;
  exact: ExactRegion | null;
  comparison: RegionComparison[];
  workers: number;
  wallMs: number;
  exactMs: number;
}

/**
 * A PQ-region job over a pool of solver workers: the first prepares the problem and the
 * LinDistFlow regions; the exact region's batches of AC-OPFs are split over all of them
 * (each keeps a warm solver), while this thread only orders points and picks the next
 * directions; the first worker then runs the AC checks of the comparison.
 */
export async function runRegionJob(
  clients: SolverClient[],
  networkText: string,
  options: RegionJobOptions,
  onProgress: (p: RegionJobProgress) => void,
): Promise<RegionJobResult> {
  const t0 = performance.now();
  onProgress({ stage: "prepare", solved: 0, message: "LinDistFlow and loss compensation" });
  const prepared = await clients[0].run("region-prepare", { network: networkText, options });
  let exact: ExactRegion | null = null;
  let comparison: RegionComparison[] = [];
  let exactMs = 0;
  if (options.methods.includes("exact")) {
    const t1 = performance.now();
    let solved = 0;
    const runner = workerPoolRunner(clients, prepared.problemKey, prepared.problemJson, () => {
      solved++;
      onProgress({ stage: "exact", solved, message: `${solved} AC-OPF solves on ${clients.length} worker${clients.length > 1 ? "s" : ""}` });
    });
    exact = await traceExactRegion(prepared.frame, runner, {
      directions: options.directions,
      epsilonSteps: options.epsilonSteps,
      onProgress: (_n, message) => onProgress({ stage: "exact", solved, message }),
    });
    exactMs = performance.now() - t1;
    if (exact.polygon.length >= 3 && (prepared.lds || prepared.slc)) {
      onProgress({ stage: "compare", solved, message: "AC checks of the approximations" });
      const r = await clients[0].run("region-compare", {
        problemKey: prepared.problemKey,
        lds: prepared.lds?.polygon ?? null,
        slc: prepared.slc?.polygon ?? null,
        exact: exact.polygon,
      });
      comparison = r.comparison;
    }
  }
  return { prepared, exact, comparison, workers: clients.length, wallMs: performance.now() - t0, exactMs };
}
