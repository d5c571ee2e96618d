"use client";

import { useMemo, useState } from "react";
import type { LightModelOptions, SensitivitiesResult } from "@/solver-worker/protocol";
import { TableHead } from "@/components/ui/table-head";
import { formatMs, formatPct } from "./format";
import styles from "./light-model.module.css";
import { operatingPointProfiles, sensitivityHeatmap, type HeatmapChoice } from "./light-model-plots";
import { PlotlyChart } from "./plotly-chart";

export function OperatingPointsTable({ result }: { result: SensitivitiesResult }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="lm-points">
        <TableHead columns={["Operating point", "AC power flow", { num: "V min (p.u.)" }, { num: "V max (p.u.)" }, { num: "Max loading (%)" }, { num: "Flexibility (MW)" }]} />
        <tbody>
          {result.points.map((p) => (
            <tr key={p.id}>
              <td>{p.label}</td>
              <td>
                {p.converged ? (
                  <span className="badge badge-ok">converged</span>
                ) : (
                  <span className="badge badge-bad" title={p.message}>
                    not converged
                  </span>
                )}
              </td>
              <td className="num">{p.vmMin.toFixed(4)}</td>
              <td className="num">{p.vmMax.toFixed(4)}</td>
              <td className="num">{formatPct(p.maxLoadingPct)}</td>
              <td className="num" title={`up ${p.flexUpMw.toFixed(3)} MW, down ${p.flexDownMw.toFixed(3)} MW`}>
                {p.flexMw.toFixed(3)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** VTDF and LTDF heatmaps of a chosen operating point, for active or reactive injection. */
export function SensitivityHeatmaps({ result }: { result: SensitivitiesResult }) {
  const [point, setPoint] = useState(0);
  const [reactive, setReactive] = useState(false);
  const vtdf = useMemo(() => sensitivityHeatmap(result, { point, kind: "vtdf", reactive } satisfies HeatmapChoice), [result, point, reactive]);
  const ltdf = useMemo(() => sensitivityHeatmap(result, { point, kind: "ltdf", reactive } satisfies HeatmapChoice), [result, point, reactive]);
  return (
    <>
      <div className={styles.controls}>
        <label>
          Operating point{" "}
          <select value={point} onChange={(e) => setPoint(Number(e.target.value))} data-testid="lm-heatmap-point">
            {result.points.map((p, k) => (
              <option key={p.id} value={k}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.check}>
          <input type="radio" name="lm-pq" checked={!reactive} onChange={() => setReactive(false)} /> per MW (P)
        </label>
        <label className={styles.check}>
          <input type="radio" name="lm-pq" checked={reactive} disabled={!result.summary.reactive} onChange={() => setReactive(true)} data-testid="lm-heatmap-q" /> per MVAr (Q)
        </label>
        {(vtdf.blocks || ltdf.blocks) && <span className="muted small">Large matrix: each cell shows the strongest entry of its block.</span>}
      </div>
      <div className={styles.plots}>
        <PlotlyChart figure={vtdf} testId="lm-heatmap-vtdf" height={380} />
        <PlotlyChart figure={ltdf} testId="lm-heatmap-ltdf" height={380} />
      </div>
    </>
  );
}

export function OperatingPointProfiles({ result, options }: { result: SensitivitiesResult; options: LightModelOptions }) {
  const figure = useMemo(() => operatingPointProfiles(result, options.limits), [result, options.limits]);
  return <PlotlyChart figure={figure} testId="lm-profiles" height={320} />;
}

const NEVER_CROSSES = [
  "Topology: which bus connects to which",
  "Impedances, ratings and transformer data",
  "Coordinates, streets and buildings",
  "Loads and generation of customers (P_Fix stays here)",
  "Bus numbers, branch ids and unit names: the key from opaque ids to elements stays on the DSO's server",
  "Which flexible units sit behind a location",
];

/** Exactly the fields and sizes of the light model the TSO receives (describeLightModel), and what it never gets. */
export function BoundaryPanel({ result }: { result: SensitivitiesResult }) {
  const lm = result.lightModel;
  if (!lm) return null;
  const total = lm.boundary.reduce((s, r) => s + r.bytes, 0);
  return (
    <div className={styles.boundary} data-testid="lm-boundary">
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Crosses the boundary (light model {lm.modelId})</th>
              <th>Shape</th>
              <th className="num">Bytes</th>
            </tr>
          </thead>
          <tbody>
            {lm.boundary.map((r) => (
              <tr key={r.field}>
                <td className="mono">{r.field}</td>
                <td>{r.shape}</td>
                <td className="num">{r.bytes.toLocaleString("en")}</td>
              </tr>
            ))}
            <tr>
              <td>
                <strong>Total</strong> (as published: {lm.sizeBytes.toLocaleString("en")} bytes of JSON)
              </td>
              <td />
              <td className="num" data-testid="lm-boundary-total">
                <strong>{total.toLocaleString("en")}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className={styles.never} data-testid="lm-never-crosses">
        <strong>Never crosses</strong>
        <ul>
          {NEVER_CROSSES.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function LightModelSummaryLine({ result, wallMs }: { result: SensitivitiesResult; wallMs: number }) {
  const s = result.summary;
  return (
    <p className="muted small" data-testid="lm-summary">
      {s.locations} flexibility locations · monitored {s.monitoredBuses} of {s.candidateBuses} buses and {s.monitoredBranches} of {s.candidateBranches} branches · {s.reactive ? "P and Q" : "P only"} ·
      computed in <span data-testid="lm-compute-ms">{formatMs(s.computeMs)}</span> ms in the worker ({formatMs(s.workerMs)} ms with encoding, {formatMs(wallMs)} ms on the page&apos;s clock)
    </p>
  );
}
