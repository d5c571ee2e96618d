"use client";

import { Card } from "@/components/ui/card";
import { JobEnd } from "@/components/progress/job-end";
import { download } from "@/components/download";
import { useMemo, useState } from "react";
import type { PqvJobResult } from "@/lib/client/pqv-job";
import { uploadRegion } from "@/lib/client/region-api";
import { publishPqvRegion } from "@/lib/regions/published";
import { HULL_POINTS } from "@/lib/regions/pqv/hull";
import type { PqvJobOptions } from "@/solver-worker/protocol";
import { formatMs } from "./format";
import type { GridPanelProps } from "./grid-panel-props";
import { JobProgress } from "@/components/progress/job-progress";
import styles from "./light-model.module.css";
import { PlotlyChart } from "./plotly-chart";
import { buildPqvFigure, buildPqvSlices } from "./pqv-plots";

import { defaultPoolWorkers } from "@/components/progress/use-solver-workers";
import { usePqv } from "./use-pqv";

const DEFAULTS: PqvJobOptions = { vRange: [0.95, 1.05], closeTies: false, unitListJson: null, directions: 200 };

/** The published cost coefficients' names, in their order. */
const COST_TERMS = ["1", "p", "q", "v", "p²", "q²", "v²", "p·q", "p·v", "q·v"];

/**
 * The 3-D PQV feasible operating region at the PCC (paper 002): what (p, q, v) the grid can
 * realise, sampled by AC-OPF in solver workers, fitted by an implicit polynomial, priced by a
 * quadratic cost, and published to the TSO as coefficients only.
 */
export function PqvPanel({ grid }: GridPanelProps) {
  const [options, setOptions] = useState<PqvJobOptions>(DEFAULTS);
  const [unitFile, setUnitFile] = useState<string | null>(null);
  const [workers, setWorkers] = useState(defaultPoolWorkers);
  const { job, run, cancel } = usePqv(grid.id);
  const running = job.phase === "running";
  const set = (patch: Partial<PqvJobOptions>) => setOptions((o) => ({ ...o, ...patch }));
  const expected = 18 + options.directions * 1.4 + 150;
  return (
    <Card title="PQV region" note="the exchange (p, q) and PCC voltage v the grid can realise, as a polynomial and a cost for the TSO's AC-OPF" testId="pqv-panel">
      <div className={styles.form}>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>PCC voltage</legend>
          <label className={styles.inline}>
            v from{" "}
            <input type="number" step={0.01} min={0.5} max={1.5} value={options.vRange[0]} onChange={(e) => set({ vRange: [Number(e.target.value), options.vRange[1]] })} data-testid="pqv-vmin" />
            to <input type="number" step={0.01} min={0.5} max={1.5} value={options.vRange[1]} onChange={(e) => set({ vRange: [options.vRange[0], Number(e.target.value)] })} data-testid="pqv-vmax" />{" "}
            p.u.
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={options.closeTies} onChange={(e) => set({ closeTies: e.target.checked })} /> close tie branches (meshed)
          </label>
        </fieldset>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Units</legend>
          <div className="small muted">The grid&apos;s flexible units, else its generators, else a default set of PV inverters and batteries; or your own list:</div>
          <label className={styles.inline}>
            <input
              type="file"
              accept=".json,application/json"
              data-testid="pqv-units-file"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                setUnitFile(f ? f.name : null);
                set({ unitListJson: f ? await f.text() : null });
              }}
            />
          </label>
          {unitFile && <div className="small">using {unitFile}</div>}
        </fieldset>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Sampling</legend>
          <label className={styles.inline}>
            Fibonacci directions <input type="number" min={20} max={2000} value={options.directions} onChange={(e) => set({ directions: Number(e.target.value) })} data-testid="pqv-directions" />
          </label>
          <label className={styles.inline}>
            workers <input type="number" min={1} max={16} value={workers} onChange={(e) => setWorkers(Math.max(1, Number(e.target.value)))} />
          </label>
        </fieldset>
      </div>
      <div className="run-bar">
        <button type="button" className="btn btn-primary" disabled={running} onClick={() => void run(options, workers)} data-testid="pqv-compute">
          {job.phase === "done" ? "Compute again" : "Compute the PQV region"}
        </button>
        {running && <JobProgress fraction={Math.min(0.97, 0.03 + job.solved / expected)} label={job.message} testId="pqv-progress" cancel={{ run: cancel, testId: "pqv-cancel" }} />}
        {!running && (
          <span className="muted small">
            Runs in {workers} solver worker{workers > 1 ? "s" : ""}.
          </span>
        )}
      </div>
      <JobEnd job={job} failed="The PQV region could not be computed" testIds={{ error: "pqv-error", cancelled: "pqv-cancelled" }} pool />
      {job.phase === "done" && <PqvResults gridId={grid.id} result={job.result} options={job.options} />}
    </Card>
  );
}

function PqvResults({ gridId, result, options }: { gridId: string; result: PqvJobResult; options: PqvJobOptions }) {
  const { prepared, trace, fitted, finished } = result;
  const figure = useMemo(() => buildPqvFigure(trace.boundary, finished.costModel.coefficients, finished.views), [trace, finished]);
  const slices = useMemo(() => buildPqvSlices(finished.views, trace.boundary), [trace, finished]);
  const [state, setState] = useState<{ phase: "idle" | "saving" } | { phase: "saved" } | { phase: "failed"; message: string }>({ phase: "idle" });
  const published = () =>
    publishPqvRegion({
      vRange: prepared.summary.vRange,
      box: trace.box,
      polynomial: fitted.polynomial,
      costModel: finished.costModel,
      fit: { heldOutError: best(fitted).heldOutError, accuracy: finished.fit.accuracy },
      hull: finished.hull,
    });
  const publish = async () => {
    setState({ phase: "saving" });
    try {
      await uploadRegion(gridId, published(), true, { kind: "pqv", vRange: options.vRange, closeTies: options.closeTies, unitListJson: options.unitListJson });
      setState({ phase: "saved" });
    } catch (e) {
      setState({ phase: "failed", message: (e as Error).message });
    }
  };
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
        <div>
          <h3>Implicit polynomial</h3>
          <table className="data" data-testid="pqv-fit">
            <thead>
              <tr>
                <th>Degree</th>
                <th className="num">Held-out error</th>
                <th className="num">Largest</th>
              </tr>
            </thead>
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
            Sign test (10 % inside / outside toward the centroid): {(100 * finished.fit.signAccuracy).toFixed(1)} %. AC-OPF-checked points classified right: {(100 * finished.fit.accuracy).toFixed(1)}{" "}
            % ({finished.fit.checked.insideFeasible} of {finished.fit.checked.inside} inside feasible, {finished.fit.checked.outsideInfeasible} of {finished.fit.checked.outside} outside infeasible).
            Errors in the frame normalized by the box.
          </p>
          <p className="small" data-testid="pqv-hull">
            Inner polytope (published with the polynomial; the TSO keeps the exchange in it): {finished.hull.planes.length} planes, the hull of {Math.min(HULL_POINTS, trace.boundary.length)} boundary
            points the AC-OPF reached. AC-OPF-checked points inside it: {finished.hull.checkedInsideFeasible} of {finished.hull.checkedInside} feasible.
          </p>
        </div>
        <div>
          <h3>Cost model</h3>
          <table className="data" data-testid="pqv-cost">
            <tbody>
              {finished.costModel.coefficients.map((c, k) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the k-th coefficient is the k-th term of the cost model (COST_TERMS[k]): the position is the identity
                <tr key={k}>
                  <td>{COST_TERMS[k]}</td>
                  <td className="num">{c.toPrecision(6)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small" data-testid="pqv-cost-quality">
            R² {finished.costModel.r2.toFixed(4)}, RMSE {finished.costModel.rmse.toFixed(3)} $/h over {finished.costModel.samples} points priced by the units&apos; least cost (p, q in MW/MVAr, v in
            p.u., $/h).
          </p>
        </div>
      </div>
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
        <button type="button" className="btn btn-primary" disabled={state.phase === "saving"} onClick={() => void publish()} data-testid="pqv-publish">
          Publish to the TSO
        </button>
        {state.phase === "saved" && (
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
    </div>
  );
}

function best(f: PqvJobResult["fitted"]) {
  return f.degrees.find((d) => d.degree === f.polynomial.degree)!;
}
