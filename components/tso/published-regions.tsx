"use client";

import { useEffect, useMemo, useState } from "react";
import { formatDateTime } from "@/components/dso/format";
import { PlotlyChart } from "@/components/dso/plotly-chart";
import { fetchPublishedRegions } from "@/lib/client/region-api";
import type { PublishedRegionEntry } from "@/lib/regions/published";

const METHOD_LABEL: Record<string, string> = { lds: "LinDistFlow (U_LDS)", slc: "loss-compensated (U_SLC)", exact: "exact (AC-OPF)" };
const COLOURS = ["#c0392b", "#1e8449", "#1f5fbf", "#7d3c98", "#d68910"];

/**
 * The flexibility regions the DSOs published (paper 000 eq. 8c): each grid's feasible PCC
 * exchange as a polygon, with what else it carries — exactly what the TSO receives.
 */
export function PublishedRegions() {
  const [regions, setRegions] = useState<PublishedRegionEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    fetchPublishedRegions(ctrl.signal).then(setRegions, (e: Error) => !ctrl.signal.aborted && setError(e.message));
    return () => ctrl.abort();
  }, []);
  const figure = useMemo(() => {
    if (!regions || regions.length === 0) return null;
    return {
      data: regions.map((r, i) => {
        const c = [...r.region.polygon, r.region.polygon[0]];
        return {
          type: "scatter" as const,
          mode: "lines" as const,
          name: `${r.gridName} (${r.method})`,
          x: c.map((p) => p[0]),
          y: c.map((p) => p[1]),
          fill: "toself" as const,
          line: { color: COLOURS[i % COLOURS.length], width: 2 },
        };
      }),
      layout: {
        margin: { l: 64, r: 20, t: 10, b: 48 },
        xaxis: { title: { text: "p into the distribution grid (MW)" } },
        yaxis: { title: { text: "q (MVAr)" } },
        legend: { orientation: "h" as const, y: -0.2 },
      },
    };
  }, [regions]);
  if (error) return <div className="alert alert-error">The regions could not be loaded: {error}</div>;
  if (!regions) return <p className="muted">Loading the regions…</p>;
  if (regions.length === 0) return <p className="muted" data-testid="tso-regions-none">No DSO has published a flexibility region yet.</p>;
  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="data" data-testid="tso-regions">
          <thead>
            <tr>
              <th>Grid</th>
              <th>DSO</th>
              <th>Region</th>
              <th className="num">Area (MW·MVAr)</th>
              <th className="num">p range (MW)</th>
              <th className="num">q range (MVAr)</th>
              <th>Carries</th>
              <th>Published</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => {
              const ps = r.region.polygon.map((p) => p[0]);
              const qs = r.region.polygon.map((p) => p[1]);
              return (
                <tr key={r.id} data-grid={r.gridName}>
                  <td>{r.gridName}</td>
                  <td>{r.dso}</td>
                  <td>{METHOD_LABEL[r.method] ?? r.method}</td>
                  <td className="num">{r.region.areaMW2.toFixed(4)}</td>
                  <td className="num">
                    {Math.min(...ps).toFixed(3)} … {Math.max(...ps).toFixed(3)}
                  </td>
                  <td className="num">
                    {Math.min(...qs).toFixed(3)} … {Math.max(...qs).toFixed(3)}
                  </td>
                  <td className="small">
                    {r.region.polygon.length} vertices{r.region.halfSpaces ? `, ${r.region.halfSpaces.length} half-spaces` : ""}
                    {r.region.lossModel ? ", loss quadratics" : ""}
                  </td>
                  <td className="small">{formatDateTime(r.publishedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <PlotlyChart figure={figure} testId="tso-regions-plot" height={380} />
    </div>
  );
}
