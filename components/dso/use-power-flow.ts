"use client";

import { useCallback, useEffect, useRef } from "react";
import { fetchNetworkText, fetchRuns, saveRun } from "@/lib/client/api";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import type { PowerFlowSummary } from "@/solver-worker/protocol";
import { useDsoStoreApi } from "./dso-store-context";

/** Performance marks around each run, so tests and profiles can find the run on the timeline. */
const PF_MARK_START = "flexplat:pf-start";
const PF_MARK_END = "flexplat:pf-end";

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function runRecord(s: PowerFlowSummary) {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    status: s.status,
    converged: s.converged,
    iterations: s.iterations,
    vmMinPu: finite(s.vmMin),
    vmMinBusId: s.vmMinBusId >= 0 ? s.vmMinBusId : null,
    lossPMw: finite(s.lossPMw),
    lossQMvar: finite(s.lossQMvar),
    maxLoadingPct: s.maxLoadingPct,
    solveMs: s.solveMs,
  };
}

/**
 * Runs the AC power flow of a grid in the solver worker: fetch the network text,
 * hand it to the worker unparsed, show its progress, keep the result, and record a
 * summary of the run on the server. cancel() terminates the worker.
 */
export function usePowerFlow() {
  const store = useDsoStoreApi();
  const client = useRef<SolverClient | null>(null);

  useEffect(() => {
    return () => {
      client.current?.dispose();
      client.current = null;
    };
  }, []);

  const refreshHistory = useCallback(
    async (gridId: string) => {
      const runs = await fetchRuns(gridId).catch(() => null);
      if (runs) store.getState().setHistory(gridId, runs);
    },
    [store],
  );

  const run = useCallback(
    async (gridId: string) => {
      const s = store.getState();
      s.setRun({ phase: "fetching", gridId });
      try {
        let text = s.network?.gridId === gridId ? s.network.text : null;
        if (text === null) {
          text = await fetchNetworkText(gridId);
          store.getState().setNetwork({ gridId, text });
        }
        client.current ??= createBrowserSolverClient();
        store.getState().setRun({ phase: "running", gridId, progress: null });
        performance.mark(PF_MARK_START);
        const t0 = performance.now();
        const result = await client.current.run("powerflow", { network: text }, { onProgress: (progress) => store.getState().setRun({ phase: "running", gridId, progress }) });
        const wallMs = performance.now() - t0;
        performance.mark(PF_MARK_END);
        // Render the results in a task of their own, not in the one that received them.
        await nextTask();
        store.getState().setRun({ phase: "done", gridId, result, wallMs });
        await saveRun(gridId, runRecord(result.summary)).catch(() => undefined);
        await refreshHistory(gridId);
      } catch (e) {
        if (e instanceof SolverCancelledError) store.getState().setRun({ phase: "cancelled", gridId });
        else store.getState().setRun({ phase: "failed", gridId, message: (e as Error).message });
      }
    },
    [store, refreshHistory],
  );

  const cancel = useCallback(() => client.current?.cancel("cancelled by the operator"), []);

  return { run, cancel, refreshHistory };
}
