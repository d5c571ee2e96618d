"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { fetchNetworkText } from "@/lib/client/api";
import { runPqvJob, type PqvJobResult } from "@/lib/client/pqv-job";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import type { PqvJobOptions } from "@/solver-worker/protocol";
import { useDsoStoreApi } from "./dso-store-context";

/** Performance marks around each PQV job (tests find the job on the timeline with them). */
const PQV_MARK_START = "flexplat:pqv-start";
const PQV_MARK_END = "flexplat:pqv-end";

export type PqvJob =
  | { phase: "idle" }
  | { phase: "running"; solved: number; message: string }
  | { phase: "done"; result: PqvJobResult; options: PqvJobOptions }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" };

/** The PQV region of the selected grid over a pool of solver workers. */
export function usePqv(gridId: string) {
  const store = useDsoStoreApi();
  const clients = useRef<SolverClient[]>([]);
  const [job, setJob] = useState<PqvJob>({ phase: "idle" });
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
    async (options: PqvJobOptions, workers: number) => {
      setJob({ phase: "running", solved: 0, message: "Starting the solver workers" });
      try {
        const s = store.getState();
        let text = s.network?.gridId === gridId ? s.network.text : null;
        if (text === null) {
          text = await fetchNetworkText(gridId);
          store.getState().setNetwork({ gridId, text });
        }
        while (clients.current.length < workers) clients.current.push(createBrowserSolverClient());
        performance.mark(PQV_MARK_START);
        const result = await runPqvJob(clients.current.slice(0, workers), text, options, (solved, message) => setJob({ phase: "running", solved, message }));
        performance.mark(PQV_MARK_END);
        setJob({ phase: "done", result, options });
      } catch (e) {
        setJob(e instanceof SolverCancelledError ? { phase: "cancelled" } : { phase: "failed", message: (e as Error).message });
      }
    },
    [gridId, store],
  );
  const cancel = useCallback(() => {
    for (const c of clients.current) c.cancel("cancelled by the operator");
  }, []);
  return { job, run, cancel };
}
