"use client";

import { useEffect, useMemo, useState } from "react";
import { formatDateTime } from "@/components/dso/format";
import { PlotlyChart } from "@/components/dso/plotly-chart";
import { fetchPublishedRegions } from "@/lib/client/region-api";
import { PQV_REGION_SCHEMA, type PublishedPqRegion, type PublishedPqvRegion, type PublishedRegionEntry } from "@/lib/regions/published";
import { TableHead } from "@/components/ui/table-head";

type PqEntry = PublishedRegionEntry & { region: PublishedPqRegion };
type PqvEntry = PublishedRegionEntry & { region: PublishedPqvRegion };
const isPqv = (r: PublishedRegionEntry): r is PqvEntry => r.region.schema === PQV_REGION_SCHEMA;

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
  const pq = useMemo(() => (regions ?? []).filter((r): r is PqEntry => !isPqv(r)), [regions]);
  const pqv = useMemo(() => (regions ?? []).filter(isPqv), [regions]);
  const figure = useMemo(() => {
    if (pq.length === 0) return null;
    return {
      data: pq.map((r, i) => {
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
  }, [pq]);
  if (error) return <div className="alert alert-error">The regions could not be loaded: {error}</div>;
  if (!regions) return <p className="muted">Loading the regions…</p>;
  if (regions.length === 0)
    return (
      <p className="muted" data-testid="tso-regions-none">
        No DSO has published a flexibility region yet.
      </p>
    );
  return (
    <div className="stack">
      {pq.length > 0 && (
        <div className="table-wrap">
          <table className="data" data-testid="tso-regions">
            <TableHead columns={["Grid", "DSO", "Region", { num: "Area (MW·MVAr)" }, { num: "p range (MW)" }, { num: "q range (MVAr)" }, "Carries", "Published"]} />
            <tbody>
              {pq.map((r) => {
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
      )}
      {pq.length > 0 && <PlotlyChart figure={figure} testId="tso-regions-plot" height={380} />}
      {pqv.length > 0 && <PqvTable regions={pqv} />}
    </div>
  );
}

/** PQV regions: the polynomial's degree and size, the inner polytope, its box, the cost model's fit — what the FOR-based AC-OPF uses. */
function PqvTable({ regions }: { regions: PqvEntry[] }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="tso-pqv-regions">
        <TableHead columns={["Grid", "DSO", "Polynomial", { num: "p (MW)" }, { num: "q (MVAr)" }, { num: "v (p.u.)" }, "Cost model", "Published"]} />
        <tbody>
          {regions.map((r) => {
            const g = r.region;
            return (
              <tr key={r.id} data-grid={r.gridName}>
                <td>{r.gridName}</td>
                <td>{r.dso}</td>
                <td className="small prose">
                  degree {g.fit.degree}, {g.polynomial.coefficients.length} coefficients, held-out error {g.fit.heldOutError.toExponential(1)}, accuracy {(100 * g.fit.accuracy).toFixed(1)} %
                  {g.hull ? `; inner polytope of ${g.hull.planes.length} planes (the OPF's constraint)` : "; no inner polytope (the OPF keeps the polynomial)"}
                </td>
                <td className="num">
                  {g.box.min[0].toFixed(3)} … {g.box.max[0].toFixed(3)}
                </td>
                <td className="num">
                  {g.box.min[1].toFixed(3)} … {g.box.max[1].toFixed(3)}
                </td>
                <td className="num">
                  {g.box.min[2].toFixed(4)} … {g.box.max[2].toFixed(4)}
                </td>
                <td className="small">quadratic, R² {g.costModel.r2.toFixed(3)}</td>
                <td className="small">{formatDateTime(r.publishedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
