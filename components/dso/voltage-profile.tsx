"use client";

import { useEffect, useRef, useState } from "react";
import type { PowerFlowPayload } from "@/solver-worker/protocol";
import { buildVoltageProfile } from "./voltage-profile-data";

type PlotlyModule = typeof import("plotly.js");
let plotly: Promise<PlotlyModule> | null = null;

/** Plotly is large: load it once, client-side only, and ahead of time when the page is idle. */
export function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= import("plotly.js-dist-min").then((m) => m.default);
  return plotly;
}

export const PLOT_MARK_DRAWN = "flexplat:plot-drawn";

export function VoltageProfile({ result }: { result: PowerFlowPayload }) {
  const el = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "drawn" | "failed">("loading");
  const [error, setError] = useState<string | null>(null);
  const [drawn, setDrawn] = useState<number | null>(null);

  useEffect(() => {
    let alive = true;
    const { data, layout, drawnPoints } = buildVoltageProfile(result);
    setDrawn(drawnPoints);
    loadPlotly()
      .then(async (Plotly) => {
        // Draw in a task of its own, after React has committed the page around it.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (!alive || !el.current) return;
        await Plotly.react(el.current, data, layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] });
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
  }, [result]);

  useEffect(() => {
    const node = el.current;
    return () => {
      if (node) void loadPlotly().then((Plotly) => Plotly.purge(node));
    };
  }, []);

  return (
    <div className="card">
      <div className="card-title">
        <h2>Bus voltage profile</h2>
        <span className="muted small">
          {result.buses.ids.length} buses{drawn !== null && drawn < result.buses.ids.length ? ` · ${drawn} points drawn (min-max per bucket)` : ""} · limits from the grid file
        </span>
      </div>
      {state === "failed" && <div className="alert alert-error">The plot could not be drawn: {error}</div>}
      <div ref={el} className="plot" data-testid="voltage-plot" data-state={state} />
    </div>
  );
}
