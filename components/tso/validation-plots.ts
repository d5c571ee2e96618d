import type { Data, Layout } from "plotly.js";
import type { TsoValidation } from "@/lib/wire/tso";

const LINEAR = "#6d3fc0";
const AC = "#0b7a75";
const LIMIT = { color: "#b42318", dash: "dash" as const, width: 1 };

function comparison(elements: { id: string; linear: number; ac: number }[], opts: { yTitle: string; limits: number[]; hover: string; magnitude: boolean }): { data: Data[]; layout: Partial<Layout> } {
  const x = elements.map((e) => e.id);
  const value = (v: number) => (opts.magnitude ? Math.abs(v) : v);
  const data: Data[] = [
    {
      type: "scatter",
      mode: "markers",
      name: "AC power flow (DSO)",
      x,
      y: elements.map((e) => value(e.ac)),
      marker: { color: AC, size: 11, symbol: "circle-open", line: { width: 2 } },
      hovertemplate: `%{x}: %{y:${opts.hover}} (AC)<extra></extra>`,
    },
    {
      type: "scatter",
      mode: "markers",
      name: "linear (light model)",
      x,
      y: elements.map((e) => value(e.linear)),
      marker: { color: LINEAR, size: 6, symbol: "x" },
      hovertemplate: `%{x}: %{y:${opts.hover}} (linear)<extra></extra>`,
    },
  ];
  for (const l of opts.limits) {
    data.push({ type: "scatter", mode: "lines", name: "limit", x: [x[0], x[x.length - 1]], y: [l, l], line: LIMIT, hoverinfo: "skip", showlegend: false });
  }
  return {
    data,
    layout: {
      margin: { l: 60, r: 15, t: 10, b: 80 },
      xaxis: { title: { text: "critical element (opaque id)" }, type: "category", tickangle: -45 },
      yaxis: { title: { text: opts.yTitle } },
      legend: { orientation: "h", y: 1.12 },
    },
  };
}

/** Paper Fig. 4: voltages of the critical busbars, the TSO's linear prediction against the DSO's AC power flow. */
export function criticalVoltageFigure(v: TsoValidation) {
  return comparison(v.criticalBuses, { yTitle: "|V| (p.u.)", limits: [v.limits.vMinPu, v.limits.vMaxPu], hover: ".5f", magnitude: false });
}

/** Paper Fig. 5: loadings of the critical lines and transformers (magnitudes, %), linear against AC. */
export function criticalLoadingFigure(v: TsoValidation) {
  return comparison(v.criticalBranches, { yTitle: "loading (%)", limits: [v.limits.loadingMaxPct], hover: ".3f", magnitude: true });
}
