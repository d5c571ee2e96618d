"use client";

import { useCallback } from "react";
import { runRegionJob, type RegionJobProgress, type RegionJobResult } from "@/lib/client/region-job";
import type { RegionJobOptions } from "@/solver-worker/protocol";
import { endedEarly, type SolverJob } from "@/components/progress/use-solver-workers";
import { networkText, useGridJob } from "./use-grid-job";

/** Performance marks around each region job (tests find the job on the timeline with them). */
const REGION_MARK_START = "flexplat:region-start";
const REGION_MARK_END = "flexplat:region-end";

export type RegionJob = SolverJob<{ progress: RegionJobProgress | null }, { result: RegionJobResult; options: RegionJobOptions }>;

/** PQ regions of the selected grid over a pool of solver workers (each keeps a warm OPF). */
export function useRegion(gridId: string) {
  const { store, job, setJob, report, workers, cancel } = useGridJob<RegionJob>(gridId, { phase: "idle" });

  const run = useCallback(
    async (options: RegionJobOptions, count: number) => {
      setJob({ phase: "running", progress: null });
      try {
        const text = await networkText(store, gridId);
        const pool = workers(count);
        performance.mark(REGION_MARK_START);
        const result = await runRegionJob(pool, text, options, (progress) => report({ phase: "running", progress }));
        performance.mark(REGION_MARK_END);
        setJob({ phase: "done", result, options });
      } catch (e) {
        setJob(endedEarly(e));
      }
    },
    [gridId, store, setJob, workers, report],
  );

  return { job, run, cancel };
}
