"use client";

import { useMemo } from "react";
import type { PowerFlowPayload } from "@/solver-worker/protocol";
import { PlotlyChart } from "./plotly-chart";
import { buildVoltageProfile } from "./voltage-profile-data";

export { loadPlotly } from "./plotly-chart";

export function VoltageProfile({ result }: { result: PowerFlowPayload }) {
  const { data, layout, drawnPoints: drawn } = useMemo(() => buildVoltageProfile(result), [result]);
  const figure = useMemo(() => ({ data, layout }), [data, layout]);
  return (
    <div className="card">
      <div className="card-title">
        <h2>Bus voltage profile</h2>
        <span className="muted small">
          {result.buses.ids.length} buses{drawn < result.buses.ids.length ? ` · ${drawn} points drawn (min-max per bucket)` : ""} · limits from the grid file
        </span>
      </div>
      <PlotlyChart figure={figure} testId="voltage-plot" />
    </div>
  );
}
