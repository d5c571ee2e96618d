"use client";

import { useCallback } from "react";
import type { LightModelOptions, SensitivitiesResult, SensitivitiesStage, StageProgress } from "@/solver-worker/protocol";
import { endedEarly, type SolverJob } from "@/components/progress/use-solver-workers";
import { networkText, useGridJob } from "./use-grid-job";

/** Performance marks around each light-model job (tests find the job on the timeline with them). */
const LM_MARK_START = "flexplat:lm-start";
const LM_MARK_END = "flexplat:lm-end";

export type LightModelJob = SolverJob<{ progress: StageProgress<SensitivitiesStage> | null }, { result: SensitivitiesResult; options: LightModelOptions; wallMs: number }>;

/**
 * The light model of the selected grid, computed in the solver worker: the network
 * text goes to the worker unparsed, the matrices come back as transferred typed
 * arrays and the light model as JSON text (never parsed on this thread).
 */
export function useLightModel(gridId: string) {
  const { store, job, setJob, workers, cancel } = useGridJob<LightModelJob>(gridId, { phase: "idle" });

  const compute = useCallback(
    async (options: LightModelOptions) => {
      setJob({ phase: "running", progress: null });
      try {
        const text = await networkText(store, gridId);
        const [client] = workers(1);
        performance.mark(LM_MARK_START);
        const t0 = performance.now();
        const result = await client.run("sensitivities", { network: text, options }, { onProgress: (progress) => setJob({ phase: "running", progress }) });
        const wallMs = performance.now() - t0;
        performance.mark(LM_MARK_END);
        await new Promise((resolve) => setTimeout(resolve, 0));
        setJob({ phase: "done", result, options, wallMs });
      } catch (e) {
        setJob(endedEarly(e));
      }
    },
    [gridId, store, setJob, workers],
  );

  return { job, compute, cancel };
}
