"use client";

import { useState } from "react";
import type { OpfStage } from "@/solver-worker/protocol";
import type { GridPanelProps } from "./grid-panel-props";
import { JobProgress, stageLabel } from "@/components/progress/job-progress";
import { Card } from "@/components/ui/card";
import { JobEnd } from "@/components/progress/job-end";
import { OpfBindingTable, OpfConvergencePlot, OpfDispatchTable, OpfLmpPlot, OpfSummary } from "./opf-results";
import { useOpf } from "./use-opf";

const STAGE_LABEL: Record<OpfStage, string> = {
  parse: "Reading the network",
  prepare: "Building the OPF model",
  iterate: "Interior-point iterations",
  results: "Flows, prices and binding limits",
};

/**
 * The AC optimal power flow of the selected grid (MATPOWER's formulation with the case's
 * generator costs), computed in the solver worker: cost, dispatch, LMP profile and the
 * limits that bind. Grids without generator costs get the model's message.
 */
export function OpfPanel({ grid }: GridPanelProps) {
  const { job, run, cancel } = useOpf(grid.id);
  const [closeTies, setCloseTies] = useState(false);
  const running = job.phase === "running";
  const done = job.phase === "done" ? job : null;
  return (
    <Card title="Optimal power flow" note="least-cost dispatch of the grid's generators within voltage, flow and generator limits; bus prices (LMPs)" testId="opf-panel">
      <div className="run-bar">
        <button type="button" className="btn btn-primary" disabled={running} onClick={() => void run(closeTies)} data-testid="opf-run">
          {done ? "Run the OPF again" : "Run the optimal power flow"}
        </button>
        <label className="small">
          <input type="checkbox" checked={closeTies} disabled={running} onChange={(e) => setCloseTies(e.target.checked)} data-testid="opf-close-ties" /> close tie branches (meshed)
        </label>
        {running && <JobProgress fraction={job.progress?.fraction ?? 0} label={stageLabel(job.progress, STAGE_LABEL)} testId="opf-progress" cancel={{ run: cancel, testId: "opf-cancel" }} />}
        {!running && <span className="muted small">Runs in the solver worker; the page stays responsive.</span>}
      </div>
      <JobEnd job={job} failed="The OPF could not run" testIds={{ error: "opf-error", cancelled: "opf-cancelled" }}>
        {job.phase === "failed" && /has no cost/.test(job.message) && (
          <div className="small" style={{ marginTop: "0.4rem" }}>
            An optimal power flow minimizes the generators&apos; costs, so it needs a cost for each of them (MATPOWER&apos;s <code>mpc.gencost</code>). Upload the case with its gencost to run it.
          </div>
        )}
      </JobEnd>
      {done && (
        <div className="stack" data-testid="opf-result">
          <OpfSummary result={done.result} wallMs={done.wallMs} />
          {done.result.summary.status === "optimal" && (
            <>
              <h3>Locational marginal prices</h3>
              <OpfLmpPlot result={done.result} />
              <h3>Dispatch</h3>
              <OpfDispatchTable result={done.result} />
              <h3>Binding limits</h3>
              <OpfBindingTable binding={done.result.binding} />
            </>
          )}
          {done.result.history.objective.length > 1 && (
            <details>
              <summary className="small">Convergence ({done.result.summary.iterations} iterations)</summary>
              <OpfConvergencePlot result={done.result} />
            </details>
          )}
        </div>
      )}
    </Card>
  );
}
