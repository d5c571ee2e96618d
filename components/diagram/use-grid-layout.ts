"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { fetchLayout, moveLayoutBuses, storeLayout } from "@/lib/client/api";
import { createBrowserSolverClient, SolverCancelledError, type SolverClient } from "@/lib/client/solver-client";
import { storedLayoutOf, type StoredLayout } from "@/lib/layout/json";
import type { LayoutJobStage, StageProgress } from "@/solver-worker/protocol";

export type GridLayoutState =
  | { phase: "idle" }
  | { phase: "loading" }
  | { phase: "computing"; progress: StageProgress<LayoutJobStage> | null }
  | {
      phase: "ready";
      layout: StoredLayout;
      /** Read back from the server, or computed in the worker just now (wall time on the page, ms). */
      source: "stored" | "computed";
      wallMs: number | null;
      /** Why the last store or move could not be saved (the drawing still shows it). */
      saveError: string | null;
    }
  | { phase: "cancelled" }
  | { phase: "failed"; message: string };

/** Performance marks around a layout computed in the worker (the e2e stories read them). */
const LAYOUT_MARK_START = "flexplat:layout-start";
const LAYOUT_MARK_END = "flexplat:layout-end";

/**
 * The schematic layout of a grid: the stored one if the grid has one, else computed in
 * the solver worker (with progress; cancel() terminates the worker) and stored, so it
 * is computed once. moveBus() saves a bus the operator dragged; recompute() discards
 * the drawing and its moves for a fresh one.
 */
export function useGridLayout(gridId: string, networkText: string | null, enabled: boolean) {
  const [state, setState] = useState<GridLayoutState>({ phase: "idle" });
  const client = useRef<SolverClient | null>(null);
  const token = useRef(0);
  useEffect(() => () => client.current?.dispose(), []);

  const compute = useCallback(
    async (mine: number, text: string) => {
      setState({ phase: "computing", progress: null });
      client.current ??= createBrowserSolverClient();
      performance.mark(LAYOUT_MARK_START);
      const t0 = performance.now();
      try {
        const r = await client.current.run("layout", { network: text }, { onProgress: (progress) => token.current === mine && setState({ phase: "computing", progress }) });
        performance.mark(LAYOUT_MARK_END);
        if (token.current !== mine) return;
        const layout = storedLayoutOf(r);
        setState({ phase: "ready", layout, source: "computed", wallMs: performance.now() - t0, saveError: null });
        const saveError = await storeLayout(gridId, layout).then(
          () => null,
          (e: Error) => e.message,
        );
        if (saveError && token.current === mine) setState((s) => (s.phase === "ready" ? { ...s, saveError: `the layout could not be stored: ${saveError}` } : s));
      } catch (e) {
        if (token.current !== mine) return;
        if (e instanceof SolverCancelledError) setState({ phase: "cancelled" });
        else setState({ phase: "failed", message: (e as Error).message });
      }
    },
    [gridId],
  );

  useEffect(() => {
    if (!enabled || !networkText) return;
    const mine = ++token.current;
    const abort = new AbortController();
    setState({ phase: "loading" });
    fetchLayout(gridId, abort.signal)
      .then((stored) => {
        if (token.current !== mine) return;
        if (stored) setState({ phase: "ready", layout: stored, source: "stored", wallMs: null, saveError: null });
        else void compute(mine, networkText);
      })
      .catch((e: Error) => {
        if (!abort.signal.aborted && token.current === mine) setState({ phase: "failed", message: e.message });
      });
    return () => {
      abort.abort();
      token.current++;
    };
  }, [gridId, networkText, enabled, compute]);

  const moveBus = useCallback(
    (busId: number, [x, y]: [number, number]) => {
      setState((s) => {
        if (s.phase !== "ready") return s;
        const i = s.layout.busIds.indexOf(busId);
        if (i < 0) return s;
        const xs = [...s.layout.x];
        const ys = [...s.layout.y];
        xs[i] = Math.round(x * 1000) / 1000;
        ys[i] = Math.round(y * 1000) / 1000;
        const moved = s.layout.moved.includes(busId) ? s.layout.moved : [...s.layout.moved, busId].sort((a, b) => a - b);
        return { ...s, layout: { ...s.layout, x: xs, y: ys, moved }, saveError: null };
      });
      moveLayoutBuses(gridId, [{ busId, x, y }]).catch((e: Error) => setState((s) => (s.phase === "ready" ? { ...s, saveError: `bus ${busId} was moved here but not saved: ${e.message}` } : s)));
    },
    [gridId],
  );

  const recompute = useCallback(() => {
    if (!networkText) return;
    void compute(++token.current, networkText);
  }, [compute, networkText]);

  const cancel = useCallback(() => client.current?.cancel("cancelled by the operator"), []);

  return { state, moveBus, recompute, cancel };
}
