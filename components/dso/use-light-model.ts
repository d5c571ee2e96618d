"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { fetchNetworkText } from "@/lib/client/api";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import type { LightModelOptions, SensitivitiesResult, SensitivitiesStage, StageProgress } from "@/solver-worker/protocol";
import { useDsoStoreApi } from "./dso-store-context";

/** Performance marks around each light-model job (tests find the job on the timeline with them). */
const LM_MARK_START = "flexplat:lm-start";
const LM_MARK_END = "flexplat:lm-end";

export type LightModelJob =
  | { phase: "idle" }
  | { phase: "running"; progress: StageProgress<SensitivitiesStage> | null }
  | { phase: "done"; result: SensitivitiesResult; options: LightModelOptions; wallMs: number }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" };

/**
 * The light model of the selected grid, computed in the solver worker: the network
 * text goes to the worker unparsed, the matrices come back as transferred typed
 * arrays and the light model as JSON text (never parsed on this thread).
 */
export function useLightModel(gridId: string) {
  const store = useDsoStoreApi();
  const client = useRef<SolverClient | null>(null);
  const [job, setJob] = useState<LightModelJob>({ phase: "idle" });

  // biome-ignore lint/correctness/useExhaustiveDependencies: another grid resets the job and drops the worker of the previous one (gridId is the trigger)
  useEffect(() => {
    setJob({ phase: "idle" });
    return () => {
      client.current?.dispose();
      client.current = null;
    };
  }, [gridId]);

  const compute = useCallback(
    async (options: LightModelOptions) => {
      setJob({ phase: "running", progress: null });
      try {
        const s = store.getState();
        let text = s.network?.gridId === gridId ? s.network.text : null;
        if (text === null) {
          text = await fetchNetworkText(gridId);
          store.getState().setNetwork({ gridId, text });
        }
        client.current ??= createBrowserSolverClient();
        performance.mark(LM_MARK_START);
        const t0 = performance.now();
        const result = await client.current.run("sensitivities", { network: text, options }, { onProgress: (progress) => setJob({ phase: "running", progress }) });
        const wallMs = performance.now() - t0;
        performance.mark(LM_MARK_END);
        await new Promise((resolve) => setTimeout(resolve, 0));
        setJob({ phase: "done", result, options, wallMs });
      } catch (e) {
        setJob(e instanceof SolverCancelledError ? { phase: "cancelled" } : { phase: "failed", message: (e as Error).message });
      }
    },
    [gridId, store],
  );

  const cancel = useCallback(() => client.current?.cancel("cancelled by the operator"), []);
  return { job, compute, cancel };
}
