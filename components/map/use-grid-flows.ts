"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { createBrowserSolverClient, type SolverClient } from "@/lib/client/solver-client";
import { offeredFlexibilityMw, withAllUpwardFlexibility } from "@/lib/district/analysis";
import type { Network } from "@/lib/grid/types";
import type { PowerFlowPayload } from "@/solver-worker/protocol";

export type Flow = { phase: "idle" } | { phase: "running" } | { phase: "done"; result: PowerFlowPayload } | { phase: "failed"; message: string };

export interface GridFlows {
  /** The power flow on screen: the base case, or with all offered upward flexibility. */
  shown: PowerFlowPayload | null;
  /** The flow being computed or failed for what is asked to be shown (null: the operator's own run is shown). */
  pending: Flow | null;
  allFlex: boolean;
  setAllFlex: (on: boolean) => void;
  offered: { upMw: number; downMw: number } | null;
}

/**
 * The power flows a drawing of the grid shows (district map and network diagram): the
 * base case — the operator's latest run, else computed once in the solver worker when
 * `auto` — and, on demand, the one with all offered upward flexibility activated at
 * once (deliverable 5.2, Fig. 5).
 */
export function useGridFlows(net: Network | null, result: PowerFlowPayload | null, auto: boolean): GridFlows {
  const [allFlex, setAllFlex] = useState(false);
  const [base, setBase] = useState<Flow>({ phase: "idle" });
  const [flex, setFlex] = useState<Flow>({ phase: "idle" });
  const client = useRef<SolverClient | null>(null);
  useEffect(() => () => client.current?.dispose(), []);
  const offered = useMemo(() => (net ? offeredFlexibilityMw(net) : null), [net]);

  // A fresh network means fresh results.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh network means fresh results (net is the trigger, not read)
  useEffect(() => {
    setBase({ phase: "idle" });
    setFlex({ phase: "idle" });
  }, [net]);

  const operatorRun = result && net && result.branches.ids.length === net.branches.length && result.buses.ids.length === net.buses.length ? result : null;

  useEffect(() => {
    if (!net || !auto || operatorRun || base.phase !== "idle") return;
    setBase({ phase: "running" });
    client.current ??= createBrowserSolverClient();
    client.current
      .run("powerflow", { network: net })
      .then((r) => setBase({ phase: "done", result: r }))
      .catch((e: Error) => setBase({ phase: "failed", message: e.message }));
  }, [net, auto, operatorRun, base.phase]);

  useEffect(() => {
    if (!net || !allFlex || flex.phase !== "idle") return;
    setFlex({ phase: "running" });
    client.current ??= createBrowserSolverClient();
    client.current
      .run("powerflow", { network: withAllUpwardFlexibility(net) })
      .then((r) => setFlex({ phase: "done", result: r }))
      .catch((e: Error) => setFlex({ phase: "failed", message: e.message }));
  }, [net, allFlex, flex.phase]);

  const baseResult = operatorRun ?? (base.phase === "done" ? base.result : null);
  const shown = allFlex ? (flex.phase === "done" ? flex.result : null) : baseResult;
  const pending = allFlex ? flex : operatorRun ? null : base;
  return { shown, pending, allFlex, setAllFlex, offered };
}
