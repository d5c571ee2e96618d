"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { fetchNetworkText } from "@/lib/client/api";
import { runRegionJob, type RegionJobProgress, type RegionJobResult } from "@/lib/client/region-job";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import type { RegionJobOptions } from "@/solver-worker/protocol";
import { useDsoStoreApi } from "./dso-store-context";

/** Performance marks around each region job (tests find the job on the timeline with them). */
const REGION_MARK_START = "flexplat:region-start";
const REGION_MARK_END = "flexplat:region-end";

export type RegionJob =
  | { phase: "idle" }
  | { phase: "running"; progress: RegionJobProgress | null }
  | { phase: "done"; result: RegionJobResult; options: RegionJobOptions }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" };

/**
 * Workers for the exact and PQV regions: every core, at most four. The page's own work
 * between them stays under 50 ms of CPU per task (the e2e stories read it from Chromium's
 * trace); on 2 cores one worker left the district's PQV region at 30 s and its exact region
 * at 10–15 s, over the issues' 30 s and 10 s.
 */
export function defaultRegionWorkers(): number {
  const n = typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, n));
}

/** PQ regions of the selected grid over a pool of solver workers (each keeps a warm OPF). */
export function useRegion(gridId: string) {
  const store = useDsoStoreApi();
  const clients = useRef<SolverClient[]>([]);
  const [job, setJob] = useState<RegionJob>({ phase: "idle" });

  const drop = useCallback(() => {
    for (const c of clients.current) c.dispose();
    clients.current = [];
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another grid resets the job and drops the workers of the previous one (gridId is the trigger)
  useEffect(() => {
    setJob({ phase: "idle" });
    return drop;
  }, [gridId, drop]);

  const run = useCallback(
    async (options: RegionJobOptions, workers: number) => {
      setJob({ phase: "running", progress: null });
      try {
        const s = store.getState();
        let text = s.network?.gridId === gridId ? s.network.text : null;
        if (text === null) {
          text = await fetchNetworkText(gridId);
          store.getState().setNetwork({ gridId, text });
        }
        while (clients.current.length < workers) clients.current.push(createBrowserSolverClient());
        performance.mark(REGION_MARK_START);
        const result = await runRegionJob(clients.current.slice(0, workers), text, options, (progress) => setJob({ phase: "running", progress }));
        performance.mark(REGION_MARK_END);
        setJob({ phase: "done", result, options });
      } catch (e) {
        setJob(e instanceof SolverCancelledError ? { phase: "cancelled" } : { phase: "failed", message: (e as Error).message });
      }
    },
    [gridId, store],
  );

  /** Stop every worker of the job (the next run starts fresh ones). */
  const cancel = useCallback(() => {
    for (const c of clients.current) c.cancel("cancelled by the operator");
  }, []);
  return { job, run, cancel };
}
