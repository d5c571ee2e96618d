import type { Data, Layout } from "plotly.js";
import type { OpfPayload } from "@/solver-worker/protocol";
import { profilePositions } from "./voltage-profile-data";

/**
 * The LMP profile of an OPF: λ_P ($/MWh) per bus in file order on the left axis, λ_Q
 * ($/MVArh) on the right, and the voltage magnitude as a thin line for context
 * (binding voltage limits explain most price steps). Isolated buses are gaps. Large
 * grids are decimated by min-max buckets of λ_P, as the voltage profile is.
 */
export function buildLmpProfile(p: OpfPayload): { data: Data[]; layout: Partial<Layout>; drawnPoints: number } {
  const { ids, lamP, lamQ } = p.buses;
  const positions = profilePositions(lamP, (i) => Number.isFinite(lamP[i]));
  const x = positions.map((i, k) => (i < 0 ? k : i + 1));
  const pick = (arr: Float64Array) => positions.map((i) => (i < 0 || !Number.isFinite(arr[i]) ? null : arr[i]));
  const text = positions.map((i) => (i < 0 ? "" : `bus ${ids[i]}`));
  const dense = positions.length > 200;
  const data: Data[] = [
    {
      type: "scatter",
      mode: dense ? "lines" : "lines+markers",
      name: "λP ($/MWh)",
      x,
      y: pick(lamP),
      text,
      hovertemplate: "%{text}: λP %{y:.4f} $/MWh<extra></extra>",
      line: { color: "#b34700", width: 2 },
      marker: { size: 5 },
    },
    {
      type: "scatter",
      mode: dense ? "lines" : "lines+markers",
      name: "λQ ($/MVArh)",
      x,
      y: pick(lamQ),
      text,
      yaxis: "y2",
      hovertemplate: "%{text}: λQ %{y:.4f} $/MVArh<extra></extra>",
      line: { color: "#4a5bd4", width: 1, dash: "dot" },
      marker: { size: 3 },
    },
  ];
  const layout: Partial<Layout> = {
    margin: { l: 64, r: 64, t: 10, b: 48 },
    xaxis: { title: { text: "bus (file order)" }, zeroline: false },
    yaxis: { title: { text: "λP ($/MWh)" }, zeroline: false },
    yaxis2: { title: { text: "λQ ($/MVArh)" }, overlaying: "y", side: "right", zeroline: false, showgrid: false },
    legend: { orientation: "h", y: 1.08 },
    hovermode: "closest",
  };
  return { data, layout, drawnPoints: positions.length };
}

/** MIPS's convergence measures per iteration (log scale) and the objective. */
export function buildConvergencePlot(p: OpfPayload): { data: Data[]; layout: Partial<Layout> } {
  const h = p.history;
  const it = Array.from({ length: h.objective.length }, (_, k) => k);
  const clean = (a: Float64Array) => Array.from(a, (v) => (v > 0 && Number.isFinite(v) ? v : null));
  const data: Data[] = [
    { type: "scatter", mode: "lines+markers", name: "feasibility", x: it, y: clean(h.feasCond), line: { color: "#c0392b" } },
    { type: "scatter", mode: "lines+markers", name: "optimality", x: it, y: clean(h.gradCond), line: { color: "#0b7a75" } },
    { type: "scatter", mode: "lines+markers", name: "complementarity", x: it, y: clean(h.compCond), line: { color: "#7d3c98" } },
  ];
  const layout: Partial<Layout> = {
    margin: { l: 64, r: 20, t: 10, b: 48 },
    xaxis: { title: { text: "iteration" }, dtick: h.objective.length > 30 ? 5 : 1 },
    yaxis: { title: { text: "MIPS measure" }, type: "log", exponentformat: "e" },
    legend: { orientation: "h", y: 1.1 },
  };
  return { data, layout };
}
