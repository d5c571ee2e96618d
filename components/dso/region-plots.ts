import type { Data, Layout } from "plotly.js";
import type { BoundaryPoint, LimitKind, LinearRow, Point } from "@/lib/regions";
import { writeCsv } from "@/lib/util/csv";

/** Colours of the limits, as paper 000's Fig. 2: voltage blue, P red, Q purple. */
export const LIMIT_COLOUR: Record<LimitKind, string> = {
  voltage: "#1f5fbf",
  "unit-p": "#c0392b",
  "unit-q": "#7d3c98",
  "unit-chart": "#a0522d",
  "pcc-p": "#555555",
  "pcc-q": "#888888",
  "pcc-v": "#2e86c1",
  branch: "#1e8449",
  other: "#d68910",
};

const LIMIT_LABEL: Record<LimitKind, string> = {
  voltage: "voltage limit",
  "unit-p": "unit P limit",
  "unit-q": "unit Q limit",
  "unit-chart": "unit PQ chart",
  "pcc-p": "PCC P bound",
  "pcc-q": "PCC Q bound",
  "pcc-v": "PCC voltage bound",
  branch: "branch rating",
  other: "other",
};

/** The kind of limit a LinDistFlow half-space is, on the same scale as the exact points'. */
function rowLimit(kind: LinearRow["kind"]): LimitKind {
  if (kind === "vmax" || kind === "vmin") return "voltage";
  if (kind === "unit-pmax" || kind === "unit-pmin") return "unit-p";
  if (kind === "unit-qmax" || kind === "unit-qmin") return "unit-q";
  if (kind === "unit-chart") return "unit-chart";
  return kind === "pcc-pmax" || kind === "pcc-pmin" ? "pcc-p" : "pcc-q";
}

const closed = (poly: Point[]) => (poly.length ? [...poly, poly[0]] : []);

/** A linear region (U_LDS, U_SLC) as a filled outline, without hover. */
function linearRegionTrace(name: string, poly: Point[], fillcolor: string, lineColor: string): Data {
  const c = closed(poly);
  return {
    type: "scatter",
    mode: "lines",
    name,
    x: c.map((p) => p[0]),
    y: c.map((p) => p[1]),
    fill: "toself",
    fillcolor,
    line: { color: lineColor, width: 1.5 },
    hoverinfo: "skip",
  };
}

/** Unit ids and buses, in the problem's order (the points carry their injections by index). */
export type UnitRef = { id: string; bus: number };

export interface RegionFigureInput {
  units: UnitRef[];
  lds: Point[] | null;
  /** LinDistFlow's rows and, per U_LDS edge, the row it lies on (-1: none). */
  ldsEdges: { rows: LinearRow[]; labels: number[] } | null;
  slc: Point[] | null;
  exact: BoundaryPoint[] | null;
}

/**
 * Fig. 2 of paper 000 as Plotly traces: U_LDS (red) and U_SLC (green) filled, the exact
 * region's boundary (black) with each traced point coloured by the limit that binds there
 * (hover: the exchange, the limits and the largest unit injections), and U_LDS's edges
 * drawn in the colour of their constraint — solid for upper limits, dashed for lower ones.
 */
export function buildRegionFigure(input: RegionFigureInput): { data: Data[]; layout: Partial<Layout> } {
  const data: Data[] = [];
  if (input.lds) data.push(linearRegionTrace("U_LDS (LinDistFlow)", input.lds, "rgba(192,57,43,0.14)", "rgba(192,57,43,0.9)"));
  if (input.slc) data.push(linearRegionTrace("U_SLC (loss-compensated)", input.slc, "rgba(30,132,73,0.16)", "rgba(30,132,73,0.95)"));
  if (input.exact?.length) {
    const c = closed(input.exact.map((b) => [b.pMw, b.qMvar] as Point));
    data.push({ type: "scatter", mode: "lines", name: "exact (AC-OPF)", x: c.map((p) => p[0]), y: c.map((p) => p[1]), line: { color: "#111111", width: 2 }, hoverinfo: "skip" });
    const byKind = new Map<LimitKind, BoundaryPoint[]>();
    for (const b of input.exact) {
      const k = b.limits[0] ?? "other";
      byKind.set(k, [...(byKind.get(k) ?? []), b]);
    }
    for (const [kind, pts] of byKind) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: `exact point: ${LIMIT_LABEL[kind]}`,
        x: pts.map((b) => b.pMw),
        y: pts.map((b) => b.qMvar),
        text: pts.map((b) => hoverText(b, input.units)),
        hovertemplate: "%{text}<extra></extra>",
        marker: { color: LIMIT_COLOUR[kind], size: 6 },
      });
    }
  }
  if (input.lds && input.ldsEdges) data.push(...constraintEdges(input.lds, input.ldsEdges));
  const layout: Partial<Layout> = {
    margin: { l: 64, r: 20, t: 10, b: 48 },
    xaxis: { title: { text: "p at the PCC (MW, from the transmission grid)" }, zeroline: false },
    yaxis: { title: { text: "q at the PCC (MVAr)" }, zeroline: false },
    legend: { orientation: "h", y: -0.18 },
    hovermode: "closest",
  };
  return { data, layout };
}

function constraintEdges(poly: Point[], edges: { rows: LinearRow[]; labels: number[] }): Data[] {
  const groups = new Map<string, { x: (number | null)[]; y: (number | null)[]; kind: LimitKind; lower: boolean }>();
  edges.labels.forEach((lab, i) => {
    if (lab < 0) return;
    const row = edges.rows[lab];
    const kind = rowLimit(row.kind);
    const lower = row.kind.endsWith("min");
    const key = `${kind}|${lower}`;
    const g = groups.get(key) ?? { x: [], y: [], kind, lower };
    const a = poly[i];
    const b = poly[(i + 1) % poly.length];
    g.x.push(a[0], b[0], null);
    g.y.push(a[1], b[1], null);
    groups.set(key, g);
  });
  return [...groups.values()].map((g) => ({
    type: "scatter" as const,
    mode: "lines" as const,
    name: `LinDistFlow ${LIMIT_LABEL[g.kind]} (${g.lower ? "lower" : "upper"})`,
    x: g.x,
    y: g.y,
    line: { color: LIMIT_COLOUR[g.kind], width: 3, dash: g.lower ? ("dash" as const) : ("solid" as const) },
    hoverinfo: "skip" as const,
  }));
}

function hoverText(b: BoundaryPoint, refs: UnitRef[]): string {
  const idx = Array.from(b.unitP, (_, k) => k);
  const size = (k: number) => Math.abs(b.unitP[k]) + Math.abs(b.unitQ[k]);
  const top = idx.sort((u, v) => size(v) - size(u)).slice(0, 5);
  const units = top.map((k) => `${refs[k]?.id ?? k} @ bus ${refs[k]?.bus ?? "?"}: ${b.unitP[k].toFixed(4)} MW, ${b.unitQ[k].toFixed(4)} MVAr`).join("<br>");
  const more = b.unitP.length > top.length ? `<br>… ${b.unitP.length - top.length} more units` : "";
  return `p ${b.pMw.toFixed(4)} MW, q ${b.qMvar.toFixed(4)} MVAr<br>binding: ${b.limits.map((k) => LIMIT_LABEL[k]).join(", ") || "none"}<br>${units}${more}`;
}

/** CSV of the exact boundary points: exchange, binding limits, and every unit's injection. */
export function boundaryCsv(points: BoundaryPoint[], units: UnitRef[]): string {
  if (points.length === 0) return writeCsv(["p_MW", "q_MVAr", "limits"], []);
  const header = ["p_MW", "q_MVAr", "limits", ...units.flatMap((u) => [`${u.id}_p_MW`, `${u.id}_q_MVAr`])];
  return writeCsv(
    header,
    points.map((b) => [b.pMw, b.qMvar, b.limits.join(" "), ...Array.from(b.unitP).flatMap((p, k) => [p, b.unitQ[k]])]),
  );
}
