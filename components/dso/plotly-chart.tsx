"use client";

import type { Data, Layout } from "plotly.js";
import { useEffect, useRef, useState } from "react";

type PlotlyModule = typeof import("plotly.js");
let plotly: Promise<PlotlyModule> | null = null;

/** Performance mark set once Plotly is loaded (tests wait for it before timing other work). */
const PLOTLY_MARK_LOADED = "flexplat:plotly-loaded";

/** Plotly is large: load it once, client-side only, and ahead of time when the page is idle. */
export function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= import("plotly.js-dist-min").then((m) => {
    performance.mark(PLOTLY_MARK_LOADED);
    return m.default;
  });
  return plotly;
}

/** Performance mark set after each figure is drawn (tests time the drawing with it). */
const PLOT_MARK_DRAWN = "flexplat:plot-drawn";

export interface PlotlyFigure {
  data: Data[];
  layout: Partial<Layout>;
}

/**
 * One Plotly figure from a pure builder's data and layout: Plotly is loaded once,
 * the figure drawn in a task of its own after React committed, and `data-state`
 * says when it is on screen ("drawn") for tests and screenshots.
 */
export function PlotlyChart({ figure, testId, height = 340 }: { figure: PlotlyFigure | null; testId: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "drawn" | "failed">("loading");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!figure) return;
    let alive = true;
    setState("loading");
    loadPlotly()
      .then(async (Plotly) => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (!alive || !el.current) return;
        await Plotly.react(el.current, figure.data, { autosize: true, ...figure.layout }, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] });
        performance.mark(PLOT_MARK_DRAWN);
        if (alive) setState("drawn");
      })
      .catch((e: unknown) => {
        if (!alive) return;
        setState("failed");
        setError((e as Error).message);
      });
    return () => {
      alive = false;
    };
  }, [figure]);

  useEffect(() => {
    const node = el.current;
    return () => {
      if (node) void loadPlotly().then((Plotly) => Plotly.purge(node));
    };
  }, []);

  return (
    <>
      {state === "failed" && <div className="alert alert-error">The plot could not be drawn: {error}</div>}
      <div ref={el} style={{ width: "100%", height }} data-testid={testId} data-state={figure ? state : "empty"} />
    </>
  );
}
