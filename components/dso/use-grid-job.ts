"use client";

import { useEffect } from "react";
import type { StoreApi } from "zustand";
import { fetchNetworkText } from "@/lib/client/api";
import { useJobState } from "@/components/progress/use-job-state";
import { useSolverWorkers } from "@/components/progress/use-solver-workers";
import type { DsoState } from "./dso-store";
import { useDsoStoreApi } from "./dso-store-context";

/** The grid's project JSON text: the store's copy when it holds this grid, else fetched and kept there. */
export async function networkText(store: StoreApi<DsoState>, gridId: string): Promise<string> {
  const s = store.getState();
  let text = s.network?.gridId === gridId ? s.network.text : null;
  if (text === null) {
    text = await fetchNetworkText(gridId);
    store.getState().setNetwork({ gridId, text });
  }
  return text;
}

/**
 * The state and solver workers of one kind of job on the selected grid: another grid
 * resets the job to idle and drops the workers of the previous one. Progress goes through
 * `report` (at most every PROGRESS_INTERVAL_MS), every other step through `setJob`.
 */
export function useGridJob<Job extends { phase: string }>(gridId: string, idle: Job) {
  const store = useDsoStoreApi();
  const { workers, cancel } = useSolverWorkers(gridId);
  const { job, setJob, report } = useJobState<Job>(idle);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another grid resets the job (gridId is the trigger)
  useEffect(() => {
    setJob(idle);
  }, [gridId]);

  return { store, job, setJob, report, workers, cancel };
}
