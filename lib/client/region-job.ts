import { publishedCostModel, type PublishedCostModel } from "@/lib/coordination/cost-model";
import { fitPricedOutcomes, pricingTasks } from "@/lib/coordination/pricing";
import type { ExactRegion, RegionComparison } from "@/lib/regions";
import { traceExactRegion } from "@/lib/regions/exact";
import type { RegionJobOptions, RegionPrepareResult } from "@/solver-worker/protocol";
import { workerPoolRunner } from "./region-pool";
import type { SolverClient } from "./solver-client";

export interface RegionJobProgress {
  stage: "prepare" | "exact" | "price" | "compare";
  /** AC-OPF solves done and the size of the current batch. */
  solved: number;
  message: string;
}

export interface RegionJobResult {
  prepared: RegionPrepareResult;
  exact: ExactRegion | null;
  /**
   * The exact region's cost ([P000] section IV-A): a quadratic in (p, q) fitted to 49
   * least-cost AC-OPFs inside the region (lib/coordination pricingTasks), as published;
   * or why there is none.
   */
  exactCost: { costModel: PublishedCostModel; rmse: number; solves: number } | { error: string } | null;
  comparison: RegionComparison[];
  workers: number;
  wallMs: number;
  /** The exact region's boundary (the timing), and its pricing after it, ms. */
  exactMs: number;
  priceMs: number;
}

/**
 * A PQ-region job over a pool of solver workers: the first prepares the problem and the
 * LinDistFlow regions; the exact region's batches of AC-OPFs are split over all of them
 * (each keeps a warm solver), while this thread only orders points and picks the next
 * directions; the first worker then runs the AC checks of the comparison.
 */
export async function runRegionJob(clients: SolverClient[], networkText: string, options: RegionJobOptions, onProgress: (p: RegionJobProgress) => void): Promise<RegionJobResult> {
  const t0 = performance.now();
  onProgress({ stage: "prepare", solved: 0, message: "LinDistFlow and loss compensation" });
  const prepared = await clients[0].run("region-prepare", { network: networkText, options });
  let exact: ExactRegion | null = null;
  let exactCost: RegionJobResult["exactCost"] = null;
  let comparison: RegionComparison[] = [];
  let exactMs = 0;
  let priceMs = 0;
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
    if (exact.polygon.length >= 3) {
      onProgress({ stage: "price", solved, message: "Pricing the exact region: 49 least-cost AC-OPFs" });
      const outcomes = await runner.run(pricingTasks(exact.polygon, prepared.summary.pcc.vmPu));
      try {
        // A 6-term least-squares fit over 49 points: microseconds, fine on this thread.
        const fit = fitPricedOutcomes(outcomes);
        exactCost = { costModel: publishedCostModel(fit.poly, "ac-fit", fit.r2), rmse: fit.rmse, solves: outcomes.reduce((a, o) => a + o.solves, 0) };
      } catch (e) {
        exactCost = { error: (e as Error).message };
      }
    }
    priceMs = performance.now() - t1 - exactMs;
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
  return { prepared, exact, exactCost, comparison, workers: clients.length, wallMs: performance.now() - t0, exactMs, priceMs };
}
