import type { Data, Layout } from "plotly.js";
import type { StudyReport } from "@/lib/coordination/report";
import type { CoordMethod } from "@/lib/coordination/representation";

export const METHOD_NAME: Record<CoordMethod, string> = { lds: "LinDistFlow (U_LDS)", slc: "loss-compensated (U_SLC)", exact: "exact region", pqv: "PQV region (inner polytope)" };
const METHOD_COLOUR: Record<CoordMethod, string> = { lds: "#c0392b", slc: "#1e8449", exact: "#1f5fbf", pqv: "#7d3c98" };

const systemLabel = (tsBus: number, feeder: string) => `${tsBus} · ${feeder.replace("case", "")}`;

/**
 * Paper 000's Fig. 3, top: each distribution system's share of the cost deviation
 * (its DER cost after post-coordination against the centralized reference, in % of f*),
 * one bar per method, the systems in the transmission grid's bus order.
 */
export function deviationFigure(r: StudyReport): { data: Data[]; layout: Partial<Layout> } {
  const x = r.systems.map((s) => systemLabel(s.tsBus, s.case));
  const data: Data[] = r.methods.map((m) => {
    const rows = r.distributionSystems.filter((d) => d.method === m.method);
    return {
      type: "bar",
      name: `${METHOD_NAME[m.method]}: ${Number.isFinite(m.costDeviationPct) ? `${m.costDeviationPct >= 0 ? "+" : ""}${m.costDeviationPct.toFixed(3)} %` : "failed"}`,
      x,
      y: r.systems.map((s) => rows.find((d) => d.tsBus === s.tsBus)?.costDeviationPct ?? null),
      marker: { color: METHOD_COLOUR[m.method] },
      hovertemplate: "%{x}: %{y:.4f} % of f*<extra>%{fullData.name}</extra>",
    };
  });
  return {
    data,
    layout: {
      barmode: "group",
      margin: { l: 64, r: 16, t: 10, b: 80 },
      xaxis: { title: { text: "distribution system (case30 bus · feeder)" }, tickangle: -60, tickfont: { size: 10 } },
      yaxis: { title: { text: "cost deviation (% of f*)" }, zeroline: true },
      legend: { orientation: "h", y: 1.12 },
    },
  };
}

/**
 * Fig. 3, bottom: limits violated after each system's post-coordination — stacked by kind
 * (voltage, unit P, unit Q, branch) within each method's bar.
 */
export function violationFigure(r: StudyReport): { data: Data[]; layout: Partial<Layout> } {
  const x = r.systems.map((s) => systemLabel(s.tsBus, s.case));
  const kinds = [
    ["voltage", "voltage", "#e67e22"],
    ["p", "unit P", "#c0392b"],
    ["q", "unit Q", "#8e44ad"],
    ["branch", "branch", "#2c3e50"],
  ] as const;
  const data: Data[] = [];
  for (const m of r.methods) {
    const rows = r.distributionSystems.filter((d) => d.method === m.method);
    for (const [key, label, colour] of kinds) {
      data.push({
        type: "bar",
        // Plotly groups stacks by offsetgroup (not in @types/plotly.js).
        ...({ offsetgroup: m.method } as object),
        name: `${m.method}: ${label}`,
        legendgroup: m.method,
        x,
        y: r.systems.map((s) => rows.find((d) => d.tsBus === s.tsBus)?.violations[key] ?? 0),
        marker: { color: colour, line: { color: METHOD_COLOUR[m.method], width: 1.5 } },
        hovertemplate: `%{x}: %{y} ${label} limit(s)<extra>${METHOD_NAME[m.method]}</extra>`,
      });
    }
  }
  return {
    data,
    layout: {
      barmode: "stack",
      margin: { l: 64, r: 16, t: 10, b: 150 },
      xaxis: { title: { text: "distribution system (case30 bus · feeder)" }, tickangle: -60, tickfont: { size: 10 } },
      yaxis: { title: { text: "limits violated after post-coordination" }, rangemode: "tozero", dtick: 1 },
      // Below the axis: twelve entries above the plot would cover the tallest bars.
      legend: { orientation: "h", y: -0.55, font: { size: 10 } },
    },
  };
}
