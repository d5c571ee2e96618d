"use client";

import { download } from "@/components/download";
import { useEffect, useMemo, useState } from "react";
import type { RegionJobResult } from "@/lib/client/region-job";
import { fetchRegions, uploadRegion } from "@/lib/client/region-api";
import type { PublishedCostModel } from "@/lib/coordination/cost-model";
import { publishPqRegion, type RegionSummary } from "@/lib/regions/published";
import type { RegionJobOptions } from "@/solver-worker/protocol";
import { useSubmit } from "@/components/progress/use-submit";
import { TableHead } from "@/components/ui/table-head";
import { formatDateTime, formatMs } from "./format";
import { PlotlyChart } from "./plotly-chart";
import { boundaryCsv, buildRegionFigure } from "./region-plots";

type Method = "lds" | "slc" | "exact";

/** The regions of one job: Fig. 2's chart, the comparison, the units, downloads and publishing. */
export function RegionResults({ gridId, result, options }: { gridId: string; result: RegionJobResult; options: RegionJobOptions }) {
  const { prepared, exact } = result;
  const figure = useMemo(
    () =>
      buildRegionFigure({
        units: prepared.summary.units,
        lds: prepared.lds?.polygon ?? null,
        ldsEdges: prepared.lds ? { rows: prepared.lds.halfSpaces, labels: edgeLabels(prepared.lds.polygon, prepared.lds.halfSpaces) } : null,
        slc: prepared.slc?.polygon ?? null,
        exact: exact?.boundary ?? null,
      }),
    [prepared, exact],
  );
  const available: Method[] = [...(prepared.lds ? (["lds"] as const) : []), ...(prepared.slc ? (["slc"] as const) : []), ...(exact && exact.polygon.length >= 3 ? (["exact"] as const) : [])];
  const s = prepared.summary;
  return (
    <div className="stack" data-testid="region-result">
      <div className="alert alert-ok" role="status" data-testid="region-summary">
        {s.units.length} unit{s.units.length === 1 ? "" : "s"} ({unitSourceLabel(s.unitSource)}) at PCC bus {s.pccBus}; computed in {formatMs(result.wallMs)} ms
        {exact ? ` — the exact region with ${exact.opfSolves} AC-OPF solves on ${result.workers} worker${result.workers > 1 ? "s" : ""} in ${formatMs(result.exactMs)} ms` : ""}
        {exact && result.priceMs > 0 ? `, priced in ${formatMs(result.priceMs)} ms` : ""}.
      </div>
      {prepared.linDistFlowNote && (
        <div className="alert alert-warn" role="status" data-testid="region-lds-note">
          No LinDistFlow regions: {prepared.linDistFlowNote}.
        </div>
      )}
      {exact && exact.failures.length > 0 && (
        <div className="alert alert-warn" role="status" data-testid="region-failures">
          {exact.failures.length} boundary solve{exact.failures.length > 1 ? "s" : ""} found no point (kept out of the region): {exact.failures[0].message}
        </div>
      )}
      <PlotlyChart figure={figure} testId="region-plot" height={520} />
      <ComparisonTable result={result} />
      <details>
        <summary className="small">Units ({s.units.length})</summary>
        <UnitsTable units={s.units} />
      </details>
      <div className="run-bar">
        <button
          type="button"
          className="btn"
          onClick={() => download(`regions-${s.networkName}.json`, JSON.stringify(downloadable(result), null, 1), "application/json")}
          data-testid="region-download-json"
        >
          Download regions (JSON)
        </button>
        {exact && (
          <button type="button" className="btn" onClick={() => download(`exact-boundary-${s.networkName}.csv`, boundaryCsv(exact.boundary, s.units), "text/csv")} data-testid="region-download-csv">
            Download boundary points (CSV)
          </button>
        )}
      </div>
      <PublishRegion gridId={gridId} result={result} available={available} options={options} />
    </div>
  );
}

function unitSourceLabel(s: string): string {
  return s === "der" ? "paper 000's single DER" : s === "fpus" ? "flexibility-providing units" : "generators";
}

/** Which half-space each U_LDS edge lies on (the worker sends the rows; edges are recomputed from them). */
function edgeLabels(poly: [number, number][], rows: { a: number; b: number; c: number }[]): number[] {
  return poly.map((a, i) => {
    const b = poly[(i + 1) % poly.length];
    let best = -1;
    let err = Infinity;
    rows.forEach((r, k) => {
      const s = Math.hypot(r.a, r.b) || 1;
      const e = (Math.abs(r.a * a[0] + r.b * a[1] - r.c) + Math.abs(r.a * b[0] + r.b * b[1] - r.c)) / s;
      if (e < err) {
        err = e;
        best = k;
      }
    });
    return err < 1e-6 * (1 + Math.abs(a[0]) + Math.abs(a[1])) ? best : -1;
  });
}

function ComparisonTable({ result }: { result: RegionJobResult }) {
  const { prepared, exact, comparison } = result;
  const cmp = new Map(comparison.map((c) => [c.method, c]));
  const rows: { method: string; area: number | null; extra: string }[] = [];
  if (prepared.lds) rows.push({ method: "lds", area: prepared.lds.areaMW2, extra: `${prepared.lds.halfSpaces.length} half-spaces, ${formatMs(prepared.lds.computeMs)} ms` });
  if (prepared.slc) rows.push({ method: "slc", area: prepared.slc.areaMW2, extra: `loss quadratics, ${prepared.slc.perEdge} points per edge, ${formatMs(prepared.slc.computeMs)} ms` });
  if (exact) rows.push({ method: "exact", area: exact.areaMW2, extra: `${exact.boundary.length} boundary points, ${exact.opfSolves} AC-OPF solves, ${formatMs(result.exactMs)} ms` });
  return (
    <div className="table-wrap">
      <table className="data" data-testid="region-comparison">
        <TableHead columns={["Region", { num: "Area (MW·MVAr)" }, { num: "IoU with exact" }, { num: "Hausdorff (MW/MVAr)" }, { num: "AC-infeasible share" }, "How"]} />
        <tbody>
          {rows.map((r) => {
            const c = cmp.get(r.method as "lds" | "slc");
            return (
              <tr key={r.method} data-method={r.method}>
                <td>{r.method === "lds" ? "U_LDS" : r.method === "slc" ? "U_SLC" : "exact"}</td>
                <td className="num">{r.area?.toFixed(4) ?? "—"}</td>
                <td className="num">{c ? c.iou.toFixed(3) : r.method === "exact" ? "1" : "—"}</td>
                <td className="num">{c ? c.hausdorff.toFixed(4) : "—"}</td>
                <td className="num">{c ? `${(100 * c.acInfeasibleShare).toFixed(1)} % of ${c.samples}` : r.method === "exact" ? "0 (every point is an AC-OPF solution)" : "—"}</td>
                <td className="small muted">{r.extra}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function UnitsTable({ units }: { units: RegionJobResult["prepared"]["summary"]["units"] }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <TableHead columns={["Unit", "Bus", { num: "P range (MW)" }, { num: "Q range (MVAr)" }]} />
        <tbody>
          {units.slice(0, 100).map((u) => (
            <tr key={u.id}>
              <td>{u.id}</td>
              <td>{u.bus}</td>
              <td className="num">
                {u.pMinMW.toFixed(4)} … {u.pMaxMW.toFixed(4)}
              </td>
              <td className="num">
                {u.qMinMVAr.toFixed(4)} … {u.qMaxMVAr.toFixed(4)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {units.length > 100 && <p className="muted small">First 100 of {units.length} units.</p>}
    </div>
  );
}

function downloadable(result: RegionJobResult) {
  const { prepared, exact, comparison } = result;
  return {
    grid: prepared.summary.networkName,
    pccBus: prepared.summary.pccBus,
    pcc: prepared.summary.pcc,
    units: prepared.summary.units,
    lds: prepared.lds,
    slc: prepared.slc,
    exact: exact && { polygon: exact.polygon, areaMW2: exact.areaMW2, boundary: exact.boundary, failures: exact.failures, opfSolves: exact.opfSolves },
    comparison,
  };
}

/** The cost of the exchange that goes with each region (paper 000 section IV-A), or why there is none. */
function costOf(result: RegionJobResult, method: Method): { model: PublishedCostModel | null; note: string | null } {
  if (method === "exact") {
    const c = result.exactCost;
    if (!c) return { model: null, note: "the exact region was not priced" };
    return "error" in c ? { model: null, note: c.error } : { model: c.costModel, note: null };
  }
  const model = result.prepared.costModels[method];
  return { model, note: model ? null : (result.prepared.costNote ?? "no balance cost") };
}

const BASIS_LABEL: Record<PublishedCostModel["basis"], string> = {
  "lossless-balance": "the units' cost of the lossless balance",
  "loss-compensated-balance": "the units' cost of the balance with the loss quadratics",
  "ac-fit": "a quadratic fitted to 49 least-cost AC-OPFs",
};

function PublishRegion({ gridId, result, available, options }: { gridId: string; result: RegionJobResult; available: Method[]; options: RegionJobOptions }) {
  const [method, setMethod] = useState<Method>(available.includes("slc") ? "slc" : (available[0] ?? "exact"));
  const [state, submit] = useSubmit<RegionSummary>();
  const [stored, setStored] = useState<RegionSummary[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stored list is fetched again after each save or failure (state is the trigger, not read)
  useEffect(() => {
    const ctrl = new AbortController();
    fetchRegions(gridId, ctrl.signal).then(setStored, () => {});
    return () => ctrl.abort();
  }, [gridId, state]);
  if (available.length === 0) return null;
  const cost = costOf(result, method);
  const publish = () =>
    submit({}, () => {
      const { prepared, exact } = result;
      const costModel = costOf(result, method).model ?? undefined;
      const region =
        method === "exact"
          ? publishPqRegion(prepared.summary.pcc, "exact", exact!.polygon, exact!.areaMW2, { costModel })
          : method === "slc"
            ? publishPqRegion(prepared.summary.pcc, "slc", prepared.slc!.polygon, prepared.slc!.areaMW2, { halfSpaces: prepared.lds!.halfSpaces, lossModel: prepared.slc!.lossModel, costModel })
            : publishPqRegion(prepared.summary.pcc, "lds", prepared.lds!.polygon, prepared.lds!.areaMW2, { halfSpaces: prepared.lds!.halfSpaces, costModel });
      // The panel offers these unit choices only; a problem built otherwise is not stored (its dispatch cannot be rebuilt).
      const units = options.units === "file" || options.units === "default-set" ? null : options.units;
      const stored = units ? { kind: "pq" as const, units, der: options.der, closeTies: options.closeTies } : undefined;
      return uploadRegion(gridId, region, true, stored);
    });
  return (
    <div className="stack">
      <div className="run-bar">
        <label className="small">
          Publish to the TSO:{" "}
          <select value={method} onChange={(e) => setMethod(e.target.value as Method)} data-testid="region-publish-method">
            {available.map((m) => (
              <option key={m} value={m}>
                {m === "lds" ? "U_LDS: polygon and half-spaces" : m === "slc" ? "U_SLC: polygon, half-spaces and loss quadratics" : "exact: polygon"}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-primary" disabled={state.phase === "busy"} onClick={() => void publish()} data-testid="region-publish">
          Publish region
        </button>
        {state.phase === "done" && (
          <span className="alert alert-ok" role="status" data-testid="region-published">
            Published: the TSO now sees this {state.result.method} region (coefficients only).
          </span>
        )}
        {state.phase === "failed" && (
          <span className="alert alert-error" role="alert" data-testid="region-publish-error">
            {state.message}
          </span>
        )}
      </div>
      <p className="small" data-testid="region-publish-cost">
        {cost.model
          ? `With its cost of the exchange: ${BASIS_LABEL[cost.model.basis]} (${cost.model.exponents.length} terms${cost.model.r2 !== null ? `, R² ${cost.model.r2.toFixed(4)}` : ""}).`
          : `Without a cost (${cost.note}): the TSO cannot use this region in its coordination.`}
      </p>
      <p className="muted small">
        What crosses the boundary: the PCC exchange bounds, the polygon of (p, q), LinDistFlow&apos;s half-spaces, the two loss quadratics and the cost&apos;s coefficients — no bus, branch or unit, no
        impedance, no load.
      </p>
      {stored.length > 0 && (
        <ul className="small" data-testid="region-stored">
          {stored.map((r) => (
            <li key={r.id}>
              {r.method} region, {r.size.toFixed(4)} MW·MVAr, {formatDateTime(r.createdAt)}
              {r.published ? " — published" : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
