import type { Data, Layout } from "plotly.js";
import type { PowerFlowPayload } from "@/solver-worker/protocol";

/** Above this many buses the profile draws with WebGL (scattergl). */
export const WEBGL_THRESHOLD = 2000;

/**
 * Plotly traces of the bus voltage profile: |V| per bus in file order, the per-bus
 * limits, and the minimum marked. De-energized buses are gaps, not zeros.
 */
export function buildVoltageProfile(p: PowerFlowPayload): { data: Data[]; layout: Partial<Layout> } {
  const { ids, vmPu, vminPu, vmaxPu } = p.buses;
  const n = ids.length;
  const islanded = new Set(p.summary.islandedBusIds);
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const vm = Array.from(vmPu, (v, i) => (islanded.has(ids[i]) ? null : v));
  const type = n > WEBGL_THRESHOLD ? "scattergl" : "scatter";
  const labels = Array.from(ids, (id) => `bus ${id}`);
  const minIndex = Array.from(ids).indexOf(p.summary.vmMinBusId);
  const data: Data[] = [
    {
      type,
      mode: n > 200 ? "lines" : "lines+markers",
      name: "|V| (p.u.)",
      x,
      y: vm,
      text: labels,
      hovertemplate: "%{text}: %{y:.5f} p.u.<extra></extra>",
      line: { color: "#0b7a75", width: 2 },
      marker: { size: 5 },
      connectgaps: false,
    },
    {
      type,
      mode: "lines",
      name: "V min limit",
      x,
      y: Array.from(vminPu),
      line: { color: "#b42318", width: 1, dash: "dash", shape: "hv" },
      hoverinfo: "skip",
    },
    {
      type,
      mode: "lines",
      name: "V max limit",
      x,
      y: Array.from(vmaxPu),
      line: { color: "#a15c00", width: 1, dash: "dot", shape: "hv" },
      hoverinfo: "skip",
    },
  ];
  if (minIndex >= 0) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: `min ${p.summary.vmMin.toFixed(5)} p.u. @ bus ${p.summary.vmMinBusId}`,
      x: [minIndex + 1],
      y: [p.summary.vmMin],
      marker: { color: "#b42318", size: 11, symbol: "diamond", line: { color: "#fff", width: 1 } },
      hovertemplate: `min at bus ${p.summary.vmMinBusId}: %{y:.5f} p.u.<extra></extra>`,
    });
  }
  const sequential = Array.from(ids).every((id, i) => id === i + 1);
  const layout: Partial<Layout> = {
    margin: { l: 60, r: 20, t: 10, b: 50 },
    xaxis: { title: { text: sequential ? "Bus" : "Bus (file order)" }, zeroline: false, gridcolor: "#eef1f5" },
    yaxis: { title: { text: "Voltage magnitude (p.u.)" }, zeroline: false, gridcolor: "#eef1f5", tickformat: ".3f" },
    legend: { orientation: "h", y: 1.12, x: 0 },
    plot_bgcolor: "#ffffff",
    paper_bgcolor: "#ffffff",
    font: { family: "Inter, Segoe UI, Helvetica Neue, Arial, sans-serif", size: 12, color: "#16202b" },
    hovermode: "closest",
  };
  return { data, layout };
}
