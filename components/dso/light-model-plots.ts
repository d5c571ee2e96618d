import type { Data, Layout } from "plotly.js";
import type { OperatingPointSummary, SensitivitiesResult } from "@/solver-worker/protocol";
import { profilePositions } from "./voltage-profile-data";

/** Heatmaps are drawn with at most this many rows and columns; larger matrices are shown by blocks. */
const MAX_HEATMAP_SIDE = 600;

export interface HeatmapGrid {
  /** Row-major blocks: z[r][c] is the entry of largest magnitude in its block (sign kept). */
  z: number[][];
  /** First matrix row / column of each block; the last block ends at rows / cols. */
  rowStarts: number[];
  colStarts: number[];
}

function starts(n: number, max: number): number[] {
  const blocks = Math.min(n, max);
  return Array.from({ length: blocks }, (_, k) => Math.floor((k * n) / blocks));
}

/**
 * A row-major rows×cols matrix reduced to at most maxRows×maxCols blocks, each block
 * shown by its entry of largest magnitude: the strongest sensitivities stay visible.
 */
export function heatmapGrid(values: Float64Array, rows: number, cols: number, maxRows = MAX_HEATMAP_SIDE, maxCols = MAX_HEATMAP_SIDE): HeatmapGrid {
  if (values.length !== rows * cols) throw new Error(`matrix has ${values.length} values for ${rows}x${cols}`);
  const rowStarts = starts(rows, maxRows);
  const colStarts = starts(cols, maxCols);
  const z = rowStarts.map((r0, bi) => {
    const r1 = bi + 1 < rowStarts.length ? rowStarts[bi + 1] : rows;
    return colStarts.map((c0, bj) => {
      const c1 = bj + 1 < colStarts.length ? colStarts[bj + 1] : cols;
      let best = 0;
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          const v = values[r * cols + c];
          if (Math.abs(v) > Math.abs(best)) best = v;
        }
      }
      return best;
    });
  });
  return { z, rowStarts, colStarts };
}

function blockLabels(labels: string[], blockStarts: number[], n: number): string[] {
  return blockStarts.map((s, k) => {
    const e = (k + 1 < blockStarts.length ? blockStarts[k + 1] : n) - 1;
    return e > s ? `${labels[s]} … ${labels[e]}` : labels[s];
  });
}

export type SensitivityKind = "vtdf" | "ltdf";

export interface HeatmapChoice {
  point: number;
  kind: SensitivityKind;
  reactive: boolean;
}

const UNITS: Record<SensitivityKind, [string, string]> = { vtdf: ["p.u./MW", "p.u./MVAr"], ltdf: ["%/MW", "%/MVAr"] };

/**
 * A sensitivity matrix of one operating point as a Plotly heatmap: monitored
 * elements (rows) against flexibility locations (columns), diverging around zero.
 */
export function sensitivityHeatmap(r: SensitivitiesResult, choice: HeatmapChoice): { data: Data[]; layout: Partial<Layout>; blocks: boolean } {
  const m = r.matrices[choice.point];
  const values = choice.kind === "vtdf" ? (choice.reactive ? m.vtdfQ : m.vtdf) : choice.reactive ? m.ltdfQ : m.ltdf;
  if (!values) throw new Error("this light model has no reactive sensitivities");
  const rowLabels = choice.kind === "vtdf" ? Array.from(r.monitoredBusIds, (b) => `bus ${b}`) : r.monitoredBranchIds;
  const colLabels = Array.from(r.locationBusIds, (b) => `bus ${b}`);
  const grid = heatmapGrid(values, rowLabels.length, colLabels.length);
  const unit = UNITS[choice.kind][choice.reactive ? 1 : 0];
  const blocks = grid.rowStarts.length < rowLabels.length || grid.colStarts.length < colLabels.length;
  let zmax = 0;
  for (const row of grid.z) for (const v of row) zmax = Math.max(zmax, Math.abs(v));
  const what = choice.kind === "vtdf" ? "VTDF: bus voltage" : "LTDF: branch loading";
  const injection = choice.reactive ? "MVAr" : "MW";
  return {
    data: [
      {
        type: "heatmap",
        z: grid.z,
        x: blockLabels(colLabels, grid.colStarts, colLabels.length),
        y: blockLabels(rowLabels, grid.rowStarts, rowLabels.length),
        zmin: -zmax || -1,
        zmax: zmax || 1,
        // Diverging around zero: blue raises, red lowers, white leaves unchanged.
        colorscale: [
          [0, "#b2182b"],
          [0.25, "#ef8a62"],
          [0.5, "#f7f7f7"],
          [0.75, "#67a9cf"],
          [1, "#2166ac"],
        ],
        colorbar: { title: { text: unit }, thickness: 12 },
        hovertemplate: `%{y} ← %{x}: %{z:.3e} ${unit}<extra></extra>`,
      },
    ],
    layout: {
      title: { text: `${what} per ${injection} injected`, font: { size: 13 }, x: 0.02, xanchor: "left" },
      margin: { l: 90, r: 20, t: 40, b: 60 },
      xaxis: { title: { text: "flexibility location" }, showticklabels: false },
      yaxis: { title: { text: choice.kind === "vtdf" ? "monitored bus" : "monitored branch" }, showticklabels: false, autorange: "reversed" },
    },
    blocks,
  };
}

const TRACE_COLORS = ["#0b7a75", "#b35c00", "#6d3fc0", "#c0392b", "#1f77b4", "#2e8b57", "#8c564b", "#e377c2"];

/** Voltage profile (|V| of every bus, file order) at each operating point: one trace each, and the limits. */
export function operatingPointProfiles(r: SensitivitiesResult, limits: { vMinPu: number; vMaxPu: number }): { data: Data[]; layout: Partial<Layout> } {
  const ids = r.profiles.busIds;
  const n = ids.length;
  const data: Data[] = r.points.map((p: OperatingPointSummary, k) => {
    const vm = r.profiles.vmPu[k];
    const positions = profilePositions(vm, (i) => vm[i] > 0);
    return {
      type: "scatter",
      mode: "lines",
      name: p.label,
      x: positions.map((i) => (i < 0 ? null : i + 1)),
      y: positions.map((i) => (i < 0 ? null : vm[i])),
      text: positions.map((i) => (i < 0 ? "" : `bus ${ids[i]}`)),
      hovertemplate: `%{text}: %{y:.5f} p.u.<extra>${p.label}</extra>`,
      line: { color: TRACE_COLORS[k % TRACE_COLORS.length], width: 1.5 },
    };
  });
  for (const [v, name] of [
    [limits.vMinPu, "V min"],
    [limits.vMaxPu, "V max"],
  ] as const) {
    data.push({ type: "scatter", mode: "lines", name, x: [1, n], y: [v, v], line: { color: "#999", dash: "dash", width: 1 }, hoverinfo: "skip", showlegend: false });
  }
  return {
    data,
    layout: {
      margin: { l: 60, r: 20, t: 10, b: 45 },
      xaxis: { title: { text: "bus (file order)" } },
      yaxis: { title: { text: "|V| (p.u.)" } },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
