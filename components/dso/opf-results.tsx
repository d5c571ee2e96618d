"use client";

import { useMemo } from "react";
import type { BindingConstraint } from "@/lib/opf/solution";
import type { OpfPayload } from "@/solver-worker/protocol";
import { TableHead } from "@/components/ui/table-head";
import { formatMs, formatMw } from "./format";
import { buildConvergencePlot, buildLmpProfile } from "./opf-plots";
import { PlotlyChart } from "./plotly-chart";

const KIND_LABEL: Record<BindingConstraint["kind"], string> = {
  vmax: "Voltage max",
  vmin: "Voltage min",
  pmax: "Generator P max",
  pmin: "Generator P min",
  qmax: "Generator Q max",
  qmin: "Generator Q min",
  flow: "Branch flow",
  angle: "Angle difference",
  pwl: "Cost segment",
  bound: "Variable bound",
  extra: "Constraint",
};

const UNIT: Record<BindingConstraint["kind"], [string, string]> = {
  vmax: ["p.u.", "$/h per p.u."],
  vmin: ["p.u.", "$/h per p.u."],
  pmax: ["MW", "$/MWh"],
  pmin: ["MW", "$/MWh"],
  qmax: ["MVAr", "$/MVArh"],
  qmin: ["MVAr", "$/MVArh"],
  flow: ["MVA", "$/MVAh"],
  angle: ["°", "$/h per °"],
  pwl: ["", ""],
  bound: ["", ""],
  extra: ["", ""],
};

function element(c: BindingConstraint): string {
  if (c.kind === "vmax" || c.kind === "vmin") return `bus ${c.element}`;
  if (c.kind.startsWith("p") || c.kind.startsWith("q")) return `generator ${c.element}`;
  if (c.kind === "flow" || c.kind === "angle") return `branch ${c.element}${c.side ? ` (${c.side})` : ""}`;
  return c.element;
}

export function OpfSummary({ result, wallMs }: { result: OpfPayload; wallMs: number }) {
  const s = result.summary;
  const lmp = useMemo(() => {
    let lo = -1;
    let hi = -1;
    result.buses.lamP.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      if (lo < 0 || v < result.buses.lamP[lo]) lo = i;
      if (hi < 0 || v > result.buses.lamP[hi]) hi = i;
    });
    return { lo, hi };
  }, [result]);
  const cls = s.status === "optimal" ? "alert-ok" : s.status === "infeasible" ? "alert-warn" : "alert-error";
  return (
    <>
      <div className={`alert ${cls}`} role="status" data-testid="opf-status">
        {s.status === "optimal" ? (
          <>
            <strong>Optimal</strong> after {s.iterations} interior-point iterations ({s.message}).
          </>
        ) : (
          <>
            <strong>{s.status === "infeasible" ? "Infeasible" : s.status === "max_iterations" ? "Not converged" : "Numerical failure"}:</strong> {s.message}
          </>
        )}
      </div>
      {s.status === "optimal" && s.objective !== null && (
        <div className="grid-4" style={{ marginTop: "1rem" }}>
          <div className="kpi" data-testid="opf-kpi-objective">
            <div className="label">Generation cost</div>
            <div className="value">
              {s.objective.toFixed(2)}
              <small>$/h</small>
            </div>
            <div className="sub">the case's gencost at the optimal dispatch</div>
          </div>
          <div className="kpi" data-testid="opf-kpi-lmp">
            <div className="label">LMP range</div>
            <div className="value">
              {lmp.lo >= 0 ? `${result.buses.lamP[lmp.lo].toFixed(2)} – ${result.buses.lamP[lmp.hi].toFixed(2)}` : "—"}
              <small>$/MWh</small>
            </div>
            <div className="sub">{lmp.lo >= 0 ? `lowest at bus ${result.buses.ids[lmp.lo]}, highest at bus ${result.buses.ids[lmp.hi]}` : ""}</div>
          </div>
          <div className="kpi" data-testid="opf-kpi-binding">
            <div className="label">Binding limits</div>
            <div className="value">{result.binding.length}</div>
            <div className="sub">losses {formatMw(s.lossPMw, 3)} MW</div>
          </div>
          <div className="kpi" data-testid="opf-kpi-time">
            <div className="label">Solve time</div>
            <div className="value">
              {formatMs(s.solveMs)}
              <small>ms</small>
            </div>
            <div className="sub">in the solver worker ({formatMs(wallMs)} ms end to end)</div>
          </div>
        </div>
      )}
    </>
  );
}

export function OpfLmpPlot({ result }: { result: OpfPayload }) {
  const figure = useMemo(() => {
    const { data, layout } = buildLmpProfile(result);
    return { data, layout };
  }, [result]);
  return <PlotlyChart figure={figure} testId="opf-lmp-plot" />;
}

export function OpfConvergencePlot({ result }: { result: OpfPayload }) {
  const figure = useMemo(() => buildConvergencePlot(result), [result]);
  return <PlotlyChart figure={figure} testId="opf-convergence-plot" height={240} />;
}

export function OpfDispatchTable({ result }: { result: OpfPayload }) {
  const g = result.gens;
  const lamAt = useMemo(() => new Map(Array.from(result.buses.ids, (id, i) => [id, result.buses.lamP[i]])), [result]);
  const rows = g.ids.map((id, k) => ({ id, k })).filter(({ k }) => g.inService[k]);
  const at = (v: number, lo: number, hi: number) => (Math.abs(v - hi) < 1e-3 * (1 + Math.abs(hi)) ? "max" : Math.abs(v - lo) < 1e-3 * (1 + Math.abs(lo)) ? "min" : "");
  return (
    <div className="table-wrap">
      <table className="data" data-testid="opf-dispatch">
        <TableHead columns={["Generator", "Bus", { num: "P (MW)" }, { num: "P range (MW)" }, { num: "Q (MVAr)" }, { num: "Q range (MVAr)" }, { num: "LMP at bus ($/MWh)" }]} />
        <tbody>
          {rows.slice(0, 200).map(({ id, k }) => {
            const pAt = at(g.pgMw[k], g.pminMw[k], g.pmaxMw[k]);
            const qAt = at(g.qgMvar[k], g.qminMvar[k], g.qmaxMvar[k]);
            return (
              <tr key={id}>
                <td>{id}</td>
                <td>{g.bus[k]}</td>
                <td className="num">
                  {formatMw(g.pgMw[k], 3)} {pAt && <span className="badge">at {pAt}</span>}
                </td>
                <td className="num muted">
                  {formatMw(g.pminMw[k], 1)} … {formatMw(g.pmaxMw[k], 1)}
                </td>
                <td className="num">
                  {formatMw(g.qgMvar[k], 3)} {qAt && <span className="badge">at {qAt}</span>}
                </td>
                <td className="num muted">
                  {formatMw(g.qminMvar[k], 1)} … {formatMw(g.qmaxMvar[k], 1)}
                </td>
                <td className="num">{(lamAt.get(g.bus[k]) ?? NaN).toFixed(3)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length > 200 && <p className="muted small">First 200 of {rows.length} generators; download the result for all.</p>}
    </div>
  );
}

export function OpfBindingTable({ binding }: { binding: BindingConstraint[] }) {
  if (binding.length === 0)
    return (
      <p className="muted" data-testid="opf-binding-none">
        No limit binds: the dispatch is set by the costs alone.
      </p>
    );
  const sorted = [...binding].sort((a, b) => b.multiplier - a.multiplier);
  return (
    <div className="table-wrap">
      <table className="data" data-testid="opf-binding">
        <TableHead columns={["Limit", "Element", { num: "Value" }, { num: "Limit" }, { num: "Shadow price" }]} />
        <tbody>
          {sorted.slice(0, 100).map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only table of one result; the index only tells apart rows with the same kind, element and side
            <tr key={`${c.kind}-${c.element}-${c.side}-${i}`}>
              <td>{KIND_LABEL[c.kind]}</td>
              <td>{element(c)}</td>
              <td className="num">
                {c.value.toFixed(4)} {UNIT[c.kind][0]}
              </td>
              <td className="num">
                {c.limit.toFixed(4)} {UNIT[c.kind][0]}
              </td>
              <td className="num">
                {c.multiplier.toPrecision(4)} {UNIT[c.kind][1]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > 100 && <p className="muted small">The 100 highest shadow prices of {sorted.length} binding limits.</p>}
    </div>
  );
}
