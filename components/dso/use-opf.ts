"use client";

import { useCallback } from "react";
import type { OpfPayload, OpfStage, StageProgress } from "@/solver-worker/protocol";
import { endedEarly, type SolverJob } from "@/components/progress/use-solver-workers";
import { networkText, useGridJob } from "./use-grid-job";

/** Performance marks around each OPF job (tests find the job on the timeline with them). */
const OPF_MARK_START = "flexplat:opf-start";
const OPF_MARK_END = "flexplat:opf-end";

export type OpfJob = SolverJob<{ progress: StageProgress<OpfStage> | null }, { result: OpfPayload; wallMs: number; closeTies: boolean }>;

/** The AC OPF of the selected grid in the solver worker (the network goes as unparsed JSON text). */
export function useOpf(gridId: string) {
  const { store, job, setJob, report, workers, cancel } = useGridJob<OpfJob>(gridId, { phase: "idle" });

  const run = useCallback(
    async (closeTies: boolean) => {
      setJob({ phase: "running", progress: null });
      try {
        const text = await networkText(store, gridId);
        const [client] = workers(1);
        performance.mark(OPF_MARK_START);
        const t0 = performance.now();
        const result = await client.run("opf", { network: text, options: { closeTies } }, { onProgress: (progress) => report({ phase: "running", progress }) });
        const wallMs = performance.now() - t0;
        performance.mark(OPF_MARK_END);
        setJob({ phase: "done", result, wallMs, closeTies });
        // Drawn on the network diagram only when the OPF ran on the grid as it is drawn.
        store.getState().setOpf(closeTies || result.summary.objective === null ? null : { gridId, result });
      } catch (e) {
        setJob(endedEarly(e));
      }
    },
    [gridId, store, setJob, workers, report],
  );

  return { job, run, cancel };
}
