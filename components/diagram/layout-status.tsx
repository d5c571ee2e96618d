"use client";

import { JobProgress } from "@/components/progress/job-progress";
import type { GridLayoutState } from "./use-grid-layout";

/**
 * Where the diagram's layout stands when it is not simply drawn: loading or computing
 * (with Cancel), cancelled or failed (with Compute again), a stored layout that does not
 * fit the grid, or a move that could not be saved.
 */
export function LayoutStatus({ layout, buildError, recompute, cancel }: { layout: GridLayoutState; buildError: string | null; recompute: () => void; cancel: () => void }) {
  return (
    <>
      {(layout.phase === "loading" || layout.phase === "computing") && (
        <div className="run-bar">
          <JobProgress
            testId="diagram-progress"
            fraction={layout.phase === "computing" && layout.progress ? Math.max(0.05, layout.progress.fraction) : 0.02}
            label={layout.phase === "loading" ? "Loading the stored layout" : (layout.progress?.message ?? "Starting the solver worker")}
            cancel={layout.phase === "computing" ? { run: cancel, testId: "diagram-cancel" } : undefined}
          />
        </div>
      )}
      {layout.phase === "cancelled" && (
        <div className="alert alert-warn" role="status">
          Cancelled.{" "}
          <button type="button" className="btn btn-small" onClick={recompute}>
            Compute the layout
          </button>
        </div>
      )}
      {layout.phase === "failed" && (
        <div className="alert alert-error" role="alert">
          The diagram could not be drawn: {layout.phase === "failed" ? layout.message : ""}
        </div>
      )}
      {buildError !== null && (
        <div className="alert alert-error" role="alert">
          The stored layout does not fit this grid: {buildError}.{" "}
          <button type="button" className="btn btn-small" onClick={recompute}>
            Compute a new layout
          </button>
        </div>
      )}
      {layout.phase === "ready" && layout.saveError && (
        <div className="alert alert-warn" role="status" data-testid="diagram-save-error">
          {layout.saveError}
        </div>
      )}
    </>
  );
}
