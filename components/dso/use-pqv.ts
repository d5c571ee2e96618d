"use client";

import { useCallback } from "react";
import { runPqvJob, type PqvJobResult } from "@/lib/client/pqv-job";
import type { PqvJobOptions } from "@/solver-worker/protocol";
import { endedEarly, type SolverJob } from "@/components/progress/use-solver-workers";
import { networkText, useGridJob } from "./use-grid-job";

/** Performance marks around each PQV job (tests find the job on the timeline with them). */
const PQV_MARK_START = "flexplat:pqv-start";
const PQV_MARK_END = "flexplat:pqv-end";

export type PqvJob = SolverJob<{ solved: number; message: string }, { result: PqvJobResult; options: PqvJobOptions }>;

/** The PQV region of the selected grid over a pool of solver workers. */
export function usePqv(gridId: string) {
  const { store, job, setJob, report, workers, cancel } = useGridJob<PqvJob>(gridId, { phase: "idle" });

  const run = useCallback(
    async (options: PqvJobOptions, count: number) => {
      setJob({ phase: "running", solved: 0, message: "Starting the solver workers" });
      try {
        const text = await networkText(store, gridId);
        const pool = workers(count);
        performance.mark(PQV_MARK_START);
        const result = await runPqvJob(pool, text, options, (solved, message) => report({ phase: "running", solved, message }));
        performance.mark(PQV_MARK_END);
        setJob({ phase: "done", result, options });
      } catch (e) {
        setJob(endedEarly(e));
      }
    },
    [gridId, store, setJob, workers, report],
  );
  return { job, run, cancel };
}
