import type { Data, Layout } from "plotly.js";
import type { PowerFlowPayload } from "@/solver-worker/protocol";

/** At most this many buckets (two points each) are drawn; a plot is under 2000 px wide. */
export const MAX_PROFILE_BUCKETS = 1500;

/**
 * Positions (file order) to draw. Up to 2·maxBuckets buses are all drawn; beyond that,
 * min-max decimation: the buses are cut into maxBuckets consecutive buckets and each
 * keeps its lowest and highest voltage, so every dip and peak — the minimum included —
 * stays on the plot. A bucket of de-energized buses only keeps one gap (-1).
 */
export function profilePositions(vm: Float64Array, energized: (i: number) => boolean, maxBuckets = MAX_PROFILE_BUCKETS): number[] {
  const n = vm.length;
  if (n <= 2 * maxBuckets) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < maxBuckets; k++) {
    const a = Math.floor((k * n) / maxBuckets);
    const b = Math.floor(((k + 1) * n) / maxBuckets);
    let lo = -1;
    let hi = -1;
    for (let i = a; i < b; i++) {
      if (!energized(i)) continue;
      if (lo < 0 || vm[i] < vm[lo]) lo = i;
      if (hi < 0 || vm[i] > vm[hi]) hi = i;
    }
    if (lo < 0) out.push(-1);
    else if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  return out;
}

/**
 * Plotly traces of the bus voltage profile: |V| per bus in file order, the per-bus
 * limits, and the minimum marked. De-energized buses are gaps, not zeros.
 */
export function buildVoltageProfile(p: PowerFlowPayload): { data: Data[]; layout: Partial<Layout>; drawnPoints: number } {
  const { ids, vmPu, vminPu, vmaxPu } = p.buses;
  const n = ids.length;
  const islanded = new Set(p.summary.islandedBusIds);
  const positions = profilePositions(vmPu, (i) => !islanded.has(ids[i]));
  const decimated = positions.length < n;
  let gapX = 0;
  const x = positions.map((i) => {
    if (i < 0) return gapX + 0.5;
    gapX = i + 1;
    return gapX;
  });
  const pick = (arr: Float64Array) => positions.map((i) => (i < 0 ? null : arr[i]));
  const vm = positions.map((i) => (i < 0 || islanded.has(ids[i]) ? null : vmPu[i]));
  const labels = positions.map((i) => (i < 0 ? "" : `bus ${ids[i]}`));
  const minIndex = Array.from(ids).indexOf(p.summary.vmMinBusId);
  const data: Data[] = [
    {
      type: "scatter",
      mode: positions.length > 200 ? "lines" : "lines+markers",
      name: "|V| (p.u.)",
      x,
      y: vm,
      text: labels,
      hovertemplate: "%{text}: %{y:.5f} p.u.<extra></extra>",
      line: { color: "#0b7a75", width: decimated ? 1 : 2 },
      marker: { size: 5 },
      connectgaps: false,
    },
    {
      type: "scatter",
      mode: "lines",
      name: "V min limit",
      x,
      y: pick(vminPu),
      line: { color: "#b42318", width: 1, dash: "dash", shape: "hv" },
      hoverinfo: "skip",
    },
    {
      type: "scatter",
      mode: "lines",
      name: "V max limit",
      x,
      y: pick(vmaxPu),
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
  const axisTitle = (sequential ? "Bus" : "Bus (file order)") + (decimated ? ` — lowest and highest of every ${Math.ceil(n / MAX_PROFILE_BUCKETS)} buses` : "");
  const layout: Partial<Layout> = {
    margin: { l: 60, r: 20, t: 10, b: 50 },
    xaxis: { title: { text: axisTitle }, zeroline: false, gridcolor: "#eef1f5" },
    yaxis: { title: { text: "Voltage magnitude (p.u.)" }, zeroline: false, gridcolor: "#eef1f5", tickformat: ".3f" },
    legend: { orientation: "h", y: 1.12, x: 0 },
    plot_bgcolor: "#ffffff",
    paper_bgcolor: "#ffffff",
    font: { family: "Inter, Segoe UI, Helvetica Neue, Arial, sans-serif", size: 12, color: "#16202b" },
    hovermode: "closest",
  };
  return { data, layout, drawnPoints: positions.length };
}
