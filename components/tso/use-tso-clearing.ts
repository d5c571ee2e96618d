"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import { fetchLightModelBytes, openTsoClearing, relinearizeAt, saveTsoRun, validateDispatches } from "@/lib/client/tso-api";
import { VERIFY_DEFAULTS } from "@/lib/clearing/verify-step";
import { runTsoClearing, type ClearingDeps, type ClearingOptions, type ClearingOutcome, type StepReport } from "@/lib/client/tso-clearing";
import type { ClearRequest, JsonText } from "@/solver-worker/protocol";
import { runRecord } from "./run-record";
import type { RunListItem } from "@/lib/wire/tso";

/** Performance marks around each clearing in the worker (tests find it on the timeline). */
const CLEAR_MARK_START = "flexplat:clear-start";
const CLEAR_MARK_END = "flexplat:clear-end";

const MAX_ITERATIONS = VERIFY_DEFAULTS.maxIterations;

export type ClearingJob =
  | { phase: "idle" }
  | { phase: "running"; label: string; fraction: number }
  | { phase: "done"; outcome: ClearingOutcome; run: RunListItem | null; saveError: string | null; clearMs: number; wallMs: number; lightModelIds: string[] }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" };

/**
 * The request with every JSON byte array replaced by a fresh copy, and the copies'
 * buffers to transfer: a copy is a memcpy, while posting megabytes of strings makes
 * the browser serialize them on this thread. The originals stay for the next iteration.
 */
function transferable(req: ClearRequest): { req: ClearRequest; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const copy = (j: JsonText): JsonText => {
    if (typeof j === "string") return j;
    const c = j.slice();
    transfer.push(c.buffer);
    return c;
  };
  return {
    req: { ...req, grids: req.grids.map((g) => ({ ...g, lightModelJson: copy(g.lightModelJson), addedOperatingPointsJson: g.addedOperatingPointsJson?.map(copy) })) },
    transfer,
  };
}

function describe(step: StepReport, verified: boolean): { label: string; fraction: number } {
  const slot = verified ? 1 / MAX_ITERATIONS : 1;
  const base = (step.iteration - 1) * slot;
  const prefix = verified ? `Iteration ${step.iteration}: ` : "";
  if (step.phase === "clear") return { label: `${prefix}${step.progress.message}`, fraction: base + 0.7 * slot * step.progress.fraction };
  return { label: `${prefix}${step.message}`, fraction: base + (step.phase === "validate" ? 0.75 : 0.9) * slot };
}

/**
 * The TSO's clearing in the browser: the bids and the published light models (as
 * text) from the server, the MILP in the solver worker, the validation (and in
 * AC-verified mode the re-linearization) on the DSO side through the server, then
 * the run stored. cancel() stops the worker and the loop.
 */
export function useTsoClearing(gridNames: Map<string, string>, onSaved: (run: RunListItem) => void) {
  const client = useRef<SolverClient | null>(null);
  const cancelled = useRef(false);
  const [job, setJob] = useState<ClearingJob>({ phase: "idle" });

  useEffect(
    () => () => {
      client.current?.dispose();
      client.current = null;
    },
    [],
  );

  const run = useCallback(
    async (opts: Omit<ClearingOptions, "groups">) => {
      cancelled.current = false;
      const t0 = performance.now();
      setJob({ phase: "running", label: "Loading the bids and the published light models", fraction: 0 });
      const check = () => {
        if (cancelled.current) throw new SolverCancelledError("cancelled by the operator");
      };
      try {
        const { clearing, market } = await openTsoClearing(opts.requestMw);
        const models = await Promise.all(market.grids.map((g) => fetchLightModelBytes(g.lightModelId)));
        check();
        client.current ??= createBrowserSolverClient();
        const worker = client.current;
        let clearMs = 0;
        const deps: ClearingDeps = {
          clear: async (req, onProgress) => {
            check();
            performance.mark(CLEAR_MARK_START);
            const t = performance.now();
            const moved = transferable(req);
            const r = await worker.run("clear", moved.req, { onProgress, transfer: moved.transfer });
            clearMs += performance.now() - t;
            performance.mark(CLEAR_MARK_END);
            return r;
          },
          validate: async (grids, iteration) => {
            check();
            return validateDispatches(clearing.id, iteration, grids);
          },
          relinearize: async (req) => {
            check();
            return relinearizeAt(clearing.id, req);
          },
        };
        const grids = market.grids.map((g, k) => ({ gridId: g.gridId, gridName: gridNames.get(g.gridId) ?? g.gridId, lightModelId: g.lightModelId, lightModelJson: models[k], bids: g.bids }));
        const outcome = await runTsoClearing(grids, { ...opts, groups: market.groups, maxIterations: MAX_ITERATIONS }, deps, (step) => {
          setJob({ phase: "running", ...describe(step, opts.verified) });
        });
        check();
        const lightModelIds = market.grids.map((g) => g.lightModelId);
        // Results in a task of their own, then the record on the server.
        await new Promise((resolve) => setTimeout(resolve, 0));
        let saved: RunListItem | null = null;
        let saveError: string | null = null;
        try {
          saved = await saveTsoRun(runRecord(outcome, opts, lightModelIds, clearing.id));
          onSaved(saved);
        } catch (e) {
          saveError = (e as Error).message;
        }
        setJob({ phase: "done", outcome, run: saved, saveError, clearMs, wallMs: performance.now() - t0, lightModelIds });
      } catch (e) {
        setJob(e instanceof SolverCancelledError ? { phase: "cancelled" } : { phase: "failed", message: (e as Error).message });
      }
    },
    [gridNames, onSaved],
  );

  const cancel = useCallback(() => {
    cancelled.current = true;
    client.current?.cancel("cancelled by the operator");
  }, []);

  return { job, run, cancel };
}
