"use client";

import { useJobState } from "@/components/progress/use-job-state";
import { useCallback } from "react";
import { endedEarly, type SolverJob, useSolverWorkers } from "@/components/progress/use-solver-workers";
import { fetchStudyCases } from "@/lib/client/study-api";
import { runStudyJob, type StudyJobResult } from "@/lib/client/study-job";
import type { CoordMethod } from "@/lib/coordination/representation";

/** Performance marks around a study run (tests find the job on the timeline with them). */
const STUDY_MARK_START = "flexplat:study-start";
const STUDY_MARK_END = "flexplat:study-end";

export type StudyJob = SolverJob<{ done: number; total: number; message: string }, { result: StudyJobResult }>;

export function useStudy() {
  const { workers, cancel } = useSolverWorkers();
  const { job, setJob, report } = useJobState<StudyJob>({ phase: "idle" });
  const run = useCallback(
    async (methods: CoordMethod[], count: number) => {
      setJob({ phase: "running", done: 0, total: 0, message: "Loading the MATPOWER cases" });
      try {
        const cases = await fetchStudyCases();
        const pool = workers(count);
        performance.mark(STUDY_MARK_START);
        const result = await runStudyJob(pool, cases, methods, (message, done, total) => report({ phase: "running", done, total, message }));
        performance.mark(STUDY_MARK_END);
        setJob({ phase: "done", result });
      } catch (e) {
        setJob(endedEarly(e));
      }
    },
    [workers, setJob, report],
  );
  return { job, run, cancel };
}
