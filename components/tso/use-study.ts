"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import { fetchStudyCases } from "@/lib/client/study-api";
import { runStudyJob, type StudyJobResult } from "@/lib/client/study-job";
import type { CoordMethod } from "@/lib/coordination/representation";

/** Performance marks around a study run (tests find the job on the timeline with them). */
const STUDY_MARK_START = "flexplat:study-start";
const STUDY_MARK_END = "flexplat:study-end";

export type StudyJob =
  | { phase: "idle" }
  | { phase: "running"; done: number; total: number; message: string }
  | { phase: "done"; result: StudyJobResult }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" };

/** Workers for the study: every core, at most 4 (the main thread only waits). */
export function defaultStudyWorkers(): number {
  const n = typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, n));
}

export function useStudy() {
  const clients = useRef<SolverClient[]>([]);
  const [job, setJob] = useState<StudyJob>({ phase: "idle" });
  useEffect(
    () => () => {
      for (const c of clients.current) c.dispose();
      clients.current = [];
    },
    [],
  );
  const run = useCallback(async (methods: CoordMethod[], workers: number) => {
    setJob({ phase: "running", done: 0, total: 0, message: "Loading the MATPOWER cases" });
    try {
      const cases = await fetchStudyCases();
      while (clients.current.length < workers) clients.current.push(createBrowserSolverClient());
      performance.mark(STUDY_MARK_START);
      const result = await runStudyJob(clients.current.slice(0, workers), cases, methods, (message, done, total) => setJob({ phase: "running", done, total, message }));
      performance.mark(STUDY_MARK_END);
      setJob({ phase: "done", result });
    } catch (e) {
      setJob(e instanceof SolverCancelledError ? { phase: "cancelled" } : { phase: "failed", message: (e as Error).message });
    }
  }, []);
  const cancel = useCallback(() => {
    for (const c of clients.current) c.cancel("cancelled by the operator");
  }, []);
  return { job, run, cancel };
}
