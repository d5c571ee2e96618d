"use client";

import { useCallback, useEffect, useRef } from "react";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";

/** A job in the solver workers: what runs, what it found, or how it ended early. */
export type SolverJob<Running, Done> = { phase: "idle" } | ({ phase: "running" } & Running) | ({ phase: "done" } & Done) | { phase: "failed"; message: string } | { phase: "cancelled" };

/** How a job that threw ended: cancelled by the operator, or failed with the error's message. */
export function endedEarly(e: unknown): { phase: "cancelled" } | { phase: "failed"; message: string } {
  return e instanceof SolverCancelledError ? { phase: "cancelled" } : { phase: "failed", message: (e as Error).message };
}

/**
 * Workers for the jobs that share their tasks over a pool (exact and PQV regions, the
 * coordination study): every core, at most four. The page's own work between them stays
 * under 50 ms of CPU per task (the e2e stories read it from Chromium's trace); on 2 cores
 * one worker left the district's PQV region at 30 s and its exact region at 10–15 s, over
 * the issues' 30 s and 10 s.
 */
export function defaultPoolWorkers(): number {
  const n = typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, n));
}

/**
 * The solver workers of one kind of job. `workers(n)` starts workers up to n and hands
 * out the first n (a single-worker job asks for one); `cancel` terminates them all (the
 * next run starts fresh ones). They are disposed when the component unmounts and when
 * `key` changes (another grid drops the workers of the previous one).
 */
export function useSolverWorkers(key?: string) {
  const clients = useRef<SolverClient[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key drops the workers of the previous one (key is the trigger)
  useEffect(
    () => () => {
      for (const c of clients.current) c.dispose();
      clients.current = [];
    },
    [key],
  );

  const workers = useCallback((n: number) => {
    while (clients.current.length < n) clients.current.push(createBrowserSolverClient());
    return clients.current.slice(0, n);
  }, []);

  const cancel = useCallback(() => {
    for (const c of clients.current) c.cancel("cancelled by the operator");
  }, []);

  return { workers, cancel };
}
