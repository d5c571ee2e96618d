"use client";

import type { RunState } from "./dso-store";

const STAGE_LABEL = { parse: "Reading the network", prepare: "Preparing the solver", solve: "Newton iterations", results: "Flows and losses" } as const;

export function PowerFlowControls({ run, onRun, onCancel }: { run: RunState; onRun: () => void; onCancel: () => void }) {
  const busy = run.phase === "fetching" || run.phase === "running";
  const progress = run.phase === "running" ? run.progress : null;
  const fraction = run.phase === "fetching" ? 0.02 : progress ? Math.max(0.05, progress.fraction) : busy ? 0.04 : 0;
  return (
    <div className="run-bar">
      <button type="button" className="btn btn-primary" onClick={onRun} disabled={busy} data-testid="run-pf">
        {run.phase === "done" ? "Run again" : "Run AC power flow"}
      </button>
      {busy && (
        <>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} data-testid="pf-progress">
            <div className="progress-track">
              <div className="progress-fill" style={{ transform: `scaleX(${fraction})` }} />
            </div>
            <div className="progress-label">{run.phase === "fetching" ? "Loading the grid" : progress ? `${STAGE_LABEL[progress.stage]} — ${progress.message}` : "Starting the solver worker"}</div>
          </div>
          <button type="button" className="btn" onClick={onCancel} disabled={run.phase !== "running"} data-testid="cancel-pf">
            Cancel
          </button>
        </>
      )}
      {!busy && <span className="muted small">Runs in a Web Worker; the page stays responsive.</span>}
    </div>
  );
}
