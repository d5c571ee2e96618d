import type { Data, Layout } from "plotly.js";
import type { BoundaryPoint } from "@/lib/regions";
import { evalCost } from "@/lib/regions/pqv/cost";
import type { PqvFinishResult } from "@/solver-worker/protocol";

/**
 * The PQV region in 3-D (paper 002): the traced boundary points coloured by the fitted cost
 * model, and the implicit polynomial's zero set as an isosurface of its values on a grid.
 */
export function buildPqvFigure(boundary: BoundaryPoint[], costCoefficients: number[], views: PqvFinishResult["views"]): { data: Data[]; layout: Partial<Layout> } {
  const cost = boundary.map((b) => evalCost(costCoefficients, b.pMw, b.qMvar, b.vPu));
  const g = views.grid;
  const n = g.p.length;
  const x: number[] = [];
  const y: number[] = [];
  const z: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let l = 0; l < n; l++) {
        x.push(g.p[i]);
        y.push(g.q[j]);
        z.push(g.v[l]);
      }
  const data: Data[] = [
    {
      type: "isosurface",
      name: "polynomial f = 0",
      x,
      y,
      z,
      value: Array.from(g.values),
      isomin: 0,
      isomax: 0,
      surface: { count: 1 },
      caps: { x: { show: false }, y: { show: false }, z: { show: false } },
      opacity: 0.25,
      colorscale: [
        [0, "#1f5fbf"],
        [1, "#1f5fbf"],
      ],
      showscale: false,
      showlegend: true,
      hoverinfo: "skip",
    } as unknown as Data, // Plotly's typings lack the isosurface trace; the object is its documented shape.
    {
      type: "scatter3d",
      mode: "markers",
      name: "boundary points (AC-OPF)",
      x: boundary.map((b) => b.pMw),
      y: boundary.map((b) => b.qMvar),
      z: boundary.map((b) => b.vPu),
      text: boundary.map((b, k) => `p ${b.pMw.toFixed(4)} MW, q ${b.qMvar.toFixed(4)} MVAr, v ${b.vPu.toFixed(4)} p.u.<br>cost ${cost[k].toFixed(2)} $/h`),
      hovertemplate: "%{text}<extra></extra>",
      marker: { size: 3, color: cost, colorscale: "Viridis", showscale: true, colorbar: { title: { text: "$/h" } } },
    },
  ];
  const layout: Partial<Layout> = {
    margin: { l: 0, r: 0, t: 10, b: 0 },
    scene: {
      xaxis: { title: { text: "p (MW)" } },
      yaxis: { title: { text: "q (MVAr)" } },
      zaxis: { title: { text: "v (p.u.)" } },
      aspectmode: "cube",
    },
    // Plotly hides a legend of one entry, and the isosurface has none by default: both are named.
    showlegend: true,
    legend: { orientation: "h", y: 0 },
  };
  return { data, layout };
}

/** Slices of the polynomial's zero set at three PCC voltages, over (p, q). */
export function buildPqvSlices(views: PqvFinishResult["views"], boundary: BoundaryPoint[]): { data: Data[]; layout: Partial<Layout> } {
  const s = views.slices;
  const m = s.p.length;
  const colours = ["#c0392b", "#1e8449", "#1f5fbf"];
  const data: Data[] = s.levels.map((lev, k) => ({
    type: "contour",
    name: `f = 0 at v = ${lev.vPu.toFixed(4)} p.u.`,
    x: Array.from(s.p),
    y: Array.from(s.q),
    z: Array.from({ length: m }, (_, j) => Array.from(lev.z.subarray(j * m, (j + 1) * m))),
    contours: { start: 0, end: 0, size: 1, coloring: "lines" },
    line: { color: colours[k], width: 2 },
    colorscale: [
      [0, colours[k]],
      [1, colours[k]],
    ],
    showscale: false,
    showlegend: true,
    hoverinfo: "skip",
  }));
  data.push({
    type: "scatter",
    mode: "markers",
    name: "boundary points (all v)",
    x: boundary.map((b) => b.pMw),
    y: boundary.map((b) => b.qMvar),
    marker: { size: 3, color: "rgba(0,0,0,0.35)" },
    hoverinfo: "skip",
  });
  return {
    data,
    layout: {
      margin: { l: 64, r: 20, t: 10, b: 48 },
      xaxis: { title: { text: "p (MW)" } },
      yaxis: { title: { text: "q (MVAr)" } },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}
