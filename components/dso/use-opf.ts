"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { fetchNetworkText } from "@/lib/client/api";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import type { OpfPayload, OpfStage, StageProgress } from "@/solver-worker/protocol";
import { useDsoStoreApi } from "./dso-store-context";

/** Performance marks around each OPF job (tests find the job on the timeline with them). */
const OPF_MARK_START = "flexplat:opf-start";
const OPF_MARK_END = "flexplat:opf-end";

export type OpfJob =
  | { phase: "idle" }
  | { phase: "running"; progress: StageProgress<OpfStage> | null }
  | { phase: "done"; result: OpfPayload; wallMs: number; closeTies: boolean }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" };

/** The AC OPF of the selected grid in the solver worker (the network goes as unparsed JSON text). */
export function useOpf(gridId: string) {
  const store = useDsoStoreApi();
  const client = useRef<SolverClient | null>(null);
  const [job, setJob] = useState<OpfJob>({ phase: "idle" });

  // biome-ignore lint/correctness/useExhaustiveDependencies: another grid resets the job and drops the worker of the previous one (gridId is the trigger)
  useEffect(() => {
    setJob({ phase: "idle" });
    return () => {
      client.current?.dispose();
      client.current = null;
    };
  }, [gridId]);

  const run = useCallback(
    async (closeTies: boolean) => {
      setJob({ phase: "running", progress: null });
      try {
        const s = store.getState();
        let text = s.network?.gridId === gridId ? s.network.text : null;
        if (text === null) {
          text = await fetchNetworkText(gridId);
          store.getState().setNetwork({ gridId, text });
        }
        client.current ??= createBrowserSolverClient();
        performance.mark(OPF_MARK_START);
        const t0 = performance.now();
        const result = await client.current.run("opf", { network: text, options: { closeTies } }, { onProgress: (progress) => setJob({ phase: "running", progress }) });
        const wallMs = performance.now() - t0;
        performance.mark(OPF_MARK_END);
        setJob({ phase: "done", result, wallMs, closeTies });
        // Drawn on the network diagram only when the OPF ran on the grid as it is drawn.
        store.getState().setOpf(closeTies || result.summary.objective === null ? null : { gridId, result });
      } catch (e) {
        setJob(e instanceof SolverCancelledError ? { phase: "cancelled" } : { phase: "failed", message: (e as Error).message });
      }
    },
    [gridId, store],
  );

  const cancel = useCallback(() => client.current?.cancel("cancelled by the operator"), []);
  return { job, run, cancel };
}
