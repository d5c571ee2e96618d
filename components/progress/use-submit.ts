"use client";

import { useCallback, useState } from "react";

/** A request the operator starts with a button (save, publish, send): idle, under way, its answer, or why it failed. */
export type Submission<Result, Busy extends object = object> = { phase: "idle" } | ({ phase: "busy" } & Busy) | { phase: "done"; result: Result } | { phase: "failed"; message: string };

/**
 * The state of such a request and what starts it: `submit(busy, request)` shows `busy`
 * while the request runs, then its result or the error's message; it resolves to
 * whether the request succeeded. `reset` goes back to idle.
 */
export function useSubmit<Result, Busy extends object = object>() {
  const [state, setState] = useState<Submission<Result, Busy>>({ phase: "idle" });
  const submit = useCallback(async (busy: Busy, request: () => Promise<Result>): Promise<boolean> => {
    setState({ phase: "busy", ...busy });
    try {
      setState({ phase: "done", result: await request() });
      return true;
    } catch (e) {
      setState({ phase: "failed", message: (e as Error).message });
      return false;
    }
  }, []);
  const reset = useCallback(() => setState({ phase: "idle" }), []);
  return [state, submit, reset] as const;
}
