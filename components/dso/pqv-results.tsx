"use client";

import { useMemo } from "react";
import { download } from "@/components/download";
import type { PqvJobResult } from "@/lib/client/pqv-job";
import { uploadRegion } from "@/lib/client/region-api";
import { publishPqvRegion } from "@/lib/regions/published";
import { HULL_POINTS } from "@/lib/regions/pqv/hull";
import type { PqvJobOptions } from "@/solver-worker/protocol";
import { useSubmit } from "@/components/progress/use-submit";
import { TableHead } from "@/components/ui/table-head";
import { formatMs } from "./format";
import { PlotlyChart } from "./plotly-chart";
import { buildPqvFigure, buildPqvSlices } from "./pqv-plots";

/** The published cost coefficients' names, in their order. */
const COST_TERMS = ["1", "p", "q", "v", "p²", "q²", "v²", "p·q", "p·v", "q·v"];

/** A PQV region computed: what it took, its 3-D picture and slices, the fit and the cost model, download and publish. */
export function PqvResults({ gridId, result, options }: { gridId: string; result: PqvJobResult; options: PqvJobOptions }) {
  const { prepared, trace, finished } = result;
  const figure = useMemo(() => buildPqvFigure(trace.boundary, finished.costModel.coefficients, finished.views), [trace, finished]);
  const slices = useMemo(() => buildPqvSlices(finished.views, trace.boundary), [trace, finished]);
  const s = prepared.summary;
  return (
    <div className="stack" data-testid="pqv-result">
      <div className="alert alert-ok" role="status" data-testid="pqv-summary">
        {s.units.length} units ({s.unitSource}) at PCC bus {s.pccBus}, v {s.vRange[0]}–{s.vRange[1]} p.u.: {trace.boundary.length} boundary points from {result.opfSolves} AC-OPF solves on{" "}
        {result.workers} worker{result.workers > 1 ? "s" : ""} in {formatMs(result.wallMs)} ms
        {trace.failures.length ? `; ${trace.failures.length} directions found no point (${trace.failures[0].message})` : ""}.
      </div>
      <PlotlyChart figure={figure} testId="pqv-plot" height={560} />
      <h3>Slices at fixed PCC voltage</h3>
      <PlotlyChart figure={slices} testId="pqv-slices" height={380} />
      <div className="grid-2">
        <PqvFit result={result} />
        <PqvCost costModel={finished.costModel} />
      </div>
      <PqvActions gridId={gridId} result={result} options={options} />
    </div>
  );
}

/** The held-out errors of the degree the fit chose. */
function best(f: PqvJobResult["fitted"]) {
  return f.degrees.find((d) => d.degree === f.polynomial.degree)!;
}

/** The implicit polynomial: held-out error by degree, the sign test and the AC-OPF check, the inner polytope. */
function PqvFit({ result }: { result: PqvJobResult }) {
  const { trace, fitted, finished } = result;
  return (
    <div>
      <h3>Implicit polynomial</h3>
      <table className="data" data-testid="pqv-fit">
        <TableHead columns={["Degree", { num: "Held-out error" }, { num: "Largest" }]} />
        <tbody>
          {fitted.degrees.map((d) => (
            <tr key={d.degree} className={d.degree === fitted.polynomial.degree ? "selected" : undefined}>
              <td>
                {d.degree}
                {d.degree === fitted.polynomial.degree ? " (chosen)" : ""}
              </td>
              <td className="num">{d.heldOutError.toExponential(2)}</td>
              <td className="num">{d.heldOutMax.toExponential(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small" data-testid="pqv-accuracy">
        Sign test (10 % inside / outside toward the centroid): {(100 * finished.fit.signAccuracy).toFixed(1)} %. AC-OPF-checked points classified right: {(100 * finished.fit.accuracy).toFixed(1)} % (
        {finished.fit.checked.insideFeasible} of {finished.fit.checked.inside} inside feasible, {finished.fit.checked.outsideInfeasible} of {finished.fit.checked.outside} outside infeasible). Errors
        in the frame normalized by the box.
      </p>
      <p className="small" data-testid="pqv-hull">
        Inner polytope (published with the polynomial; the TSO keeps the exchange in it): {finished.hull.planes.length} planes, the hull of {Math.min(HULL_POINTS, trace.boundary.length)} boundary
        points the AC-OPF reached. AC-OPF-checked points inside it: {finished.hull.checkedInsideFeasible} of {finished.hull.checkedInside} feasible.
      </p>
    </div>
  );
}

/** The quadratic cost model's coefficients and how well it fits the units' least cost. */
function PqvCost({ costModel }: { costModel: PqvJobResult["finished"]["costModel"] }) {
  return (
    <div>
      <h3>Cost model</h3>
      <table className="data" data-testid="pqv-cost">
        <tbody>
          {costModel.coefficients.map((c, k) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the k-th coefficient is the k-th term of the cost model (COST_TERMS[k]): the position is the identity
            <tr key={k}>
              <td>{COST_TERMS[k]}</td>
              <td className="num">{c.toPrecision(6)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small" data-testid="pqv-cost-quality">
        R² {costModel.r2.toFixed(4)}, RMSE {costModel.rmse.toFixed(3)} $/h over {costModel.samples} points priced by the units&apos; least cost (p, q in MW/MVAr, v in p.u., $/h).
      </p>
    </div>
  );
}

/** Download the region as JSON, or publish it to the TSO (the polynomial and the cost coefficients only). */
function PqvActions({ gridId, result, options }: { gridId: string; result: PqvJobResult; options: PqvJobOptions }) {
  const { prepared, trace, fitted, finished } = result;
  const s = prepared.summary;
  const [state, submit] = useSubmit<unknown>();
  const published = () =>
    publishPqvRegion({
      vRange: prepared.summary.vRange,
      box: trace.box,
      polynomial: fitted.polynomial,
      costModel: finished.costModel,
      fit: { heldOutError: best(fitted).heldOutError, accuracy: finished.fit.accuracy },
      hull: finished.hull,
    });
  const publish = () => submit({}, () => uploadRegion(gridId, published(), true, { kind: "pqv", vRange: options.vRange, closeTies: options.closeTies, unitListJson: options.unitListJson }));
  return (
    <div className="run-bar">
      <button
        type="button"
        className="btn"
        onClick={() =>
          download(
            `pqv-${s.networkName}.json`,
            JSON.stringify({
              grid: s.networkName,
              vRange: s.vRange,
              box: trace.box,
              boundary: trace.boundary.map((b) => ({ pMW: b.pMw, qMVAr: b.qMvar, vPu: b.vPu, limits: b.limits })),
              polynomial: fitted.polynomial,
              degrees: fitted.degrees,
              costModel: finished.costModel,
              fit: finished.fit,
              hull: finished.hull,
            }),
            "application/json",
          )
        }
        data-testid="pqv-download"
      >
        Download (JSON)
      </button>
      <button type="button" className="btn btn-primary" disabled={state.phase === "busy"} onClick={() => void publish()} data-testid="pqv-publish">
        Publish to the TSO
      </button>
      {state.phase === "done" && (
        <span className="alert alert-ok" role="status" data-testid="pqv-published">
          Published: the TSO sees the polynomial and the cost coefficients only.
        </span>
      )}
      {state.phase === "failed" && (
        <span className="alert alert-error" role="alert">
          {state.message}
        </span>
      )}
    </div>
  );
}
