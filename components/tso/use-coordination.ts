"use client";

import { useJobState } from "@/components/progress/use-job-state";
import { useCallback, useRef } from "react";
import { endedEarly, type SolverJob, useSolverWorkers } from "@/components/progress/use-solver-workers";
import { fetchTransmissionNetwork } from "@/lib/client/coordination-api";
import type { PublishedRegionEntry } from "@/lib/regions/published";
import type { CoordinateResult } from "@/solver-worker/protocol";

/** Performance marks around each coordination in the worker (tests find it on the timeline). */
const COORDINATE_MARK_START = "flexplat:coordinate-start";
const COORDINATE_MARK_END = "flexplat:coordinate-end";

export interface Assignment {
  entry: PublishedRegionEntry;
  tsBus: number;
}

export type CoordinationJob = SolverJob<{ label: string; fraction: number }, { result: CoordinateResult; gridId: string; replaceDemand: boolean; wallMs: number }>;

/** The TSO's region-based AC-OPF in the solver worker; cancel terminates the worker. */
export function useCoordination() {
  const { workers, cancel } = useSolverWorkers();
  const networks = useRef(new Map<string, string>());
  const { job, setJob, report } = useJobState<CoordinationJob>({ phase: "idle" });

  /** Load the grid and start the worker ahead of the run (while the operator assigns the regions). */
  const prepare = useCallback(
    (gridId: string) => {
      workers(1)[0].warm();
      if (!gridId || networks.current.has(gridId)) return;
      fetchTransmissionNetwork(gridId).then(
        (text) => networks.current.set(gridId, text),
        () => {},
      );
    },
    [workers],
  );

  const run = useCallback(
    async (gridId: string, assignments: Assignment[], replaceDemand: boolean) => {
      setJob({ phase: "running", label: "Loading the transmission grid", fraction: 0 });
      const t0 = performance.now();
      try {
        let text = networks.current.get(gridId);
        if (text === undefined) {
          text = await fetchTransmissionNetwork(gridId);
          networks.current.set(gridId, text);
        }
        const [client] = workers(1);
        performance.mark(COORDINATE_MARK_START);
        const result = await client.run(
          "coordinate",
          {
            network: text,
            replaceDemand,
            assignments: assignments.map((a) => ({ regionId: a.entry.id, label: `${a.entry.gridName} (${a.entry.method})`, tsBus: a.tsBus, region: a.entry.region })),
          },
          { onProgress: (p) => report({ phase: "running", label: p.message, fraction: p.fraction }) },
        );
        performance.mark(COORDINATE_MARK_END);
        setJob({ phase: "done", result, gridId, replaceDemand, wallMs: performance.now() - t0 });
      } catch (e) {
        setJob(endedEarly(e));
      }
    },
    [workers, setJob, report],
  );

  return { job, run, cancel, prepare };
}
