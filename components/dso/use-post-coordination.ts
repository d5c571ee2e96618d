"use client";

import { useCallback, useRef } from "react";
import { fetchNetworkText } from "@/lib/client/api";
import type { PostCoordinateResult } from "@/solver-worker/protocol";
import { endedEarly } from "@/components/progress/use-solver-workers";
import { useGridJob } from "./use-grid-job";
import type { DsoSetPointView } from "@/lib/wire/coordination";

/** Performance marks around each post-coordination dispatch (tests find it on the timeline). */
const POST_MARK_START = "flexplat:post-start";
const POST_MARK_END = "flexplat:post-end";

export type PostJob =
  | { phase: "idle" }
  | { phase: "running"; setPointId: string; label: string; fraction: number }
  | { phase: "done"; setPointId: string; result: PostCoordinateResult; wallMs: number }
  | { phase: "failed"; setPointId: string; message: string }
  | { phase: "cancelled" };

/** The DSO's dispatch at a TSO set-point (paper 000 section IV-B) in the solver worker; cancel terminates it. */
export function usePostCoordination(gridId: string) {
  const { store, job, setJob, report, workers, cancel } = useGridJob<PostJob>(gridId, { phase: "idle" });
  const prefetched = useRef<{ gridId: string; text: string } | null>(null);

  const run = useCallback(
    async (sp: DsoSetPointView) => {
      if (!sp.options) return;
      const options = sp.options;
      setJob({ phase: "running", setPointId: sp.id, label: "Loading the grid", fraction: 0 });
      const t0 = performance.now();
      try {
        const s = store.getState();
        let text = s.network?.gridId === gridId ? s.network.text : prefetched.current?.gridId === gridId ? prefetched.current.text : null;
        if (text === null) {
          text = await fetchNetworkText(gridId);
          prefetched.current = { gridId, text };
        }
        const [client] = workers(1);
        performance.mark(POST_MARK_START);
        const result = await client.run(
          "post-coordinate",
          { network: text, options, setPoint: { pMw: sp.pMw, qMvar: sp.qMvar, ...(sp.kind === "pqv" ? { vPu: sp.vPu } : {}) } },
          { onProgress: (p) => report({ phase: "running", setPointId: sp.id, label: p.message, fraction: p.fraction }) },
        );
        performance.mark(POST_MARK_END);
        setJob({ phase: "done", setPointId: sp.id, result, wallMs: performance.now() - t0 });
      } catch (e) {
        const ended = endedEarly(e);
        setJob(ended.phase === "cancelled" ? ended : { ...ended, setPointId: sp.id });
      }
    },
    [gridId, store, setJob, workers, report],
  );
  /** Start the worker and load the grid ahead of a dispatch (a set-point is waiting for an answer). */
  const prepare = useCallback(() => {
    workers(1)[0].warm();
    // Kept here, not in the store: other panels react to the store's network.
    if (store.getState().network?.gridId === gridId || prefetched.current?.gridId === gridId) return;
    fetchNetworkText(gridId).then(
      (text) => (prefetched.current = { gridId, text }),
      () => {},
    );
  }, [gridId, store, workers]);
  return { job, run, cancel, prepare };
}
