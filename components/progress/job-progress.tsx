import type { StageProgress } from "@/solver-worker/protocol";

/**
 * A progress bar for a job in the solver worker (fraction 0..1 and what it is doing),
 * with the job's Cancel button after it when `cancel` is given.
 */
export function JobProgress({ fraction, label, testId, cancel }: { fraction: number; label: string; testId: string; cancel?: { run: () => void; testId: string } }) {
  const f = Math.max(0.03, Math.min(1, fraction));
  return (
    <>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(f * 100)} data-testid={testId}>
        <div className="progress-track">
          <div className="progress-fill" style={{ transform: `scaleX(${f})` }} />
        </div>
        <div className="progress-label">{label}</div>
      </div>
      {cancel && (
        <button type="button" className="btn" onClick={cancel.run} data-testid={cancel.testId}>
          Cancel
        </button>
      )}
    </>
  );
}

/** A one-worker job's progress label: the stage's name and the worker's message, or that the worker is starting. */
export function stageLabel<Stage extends string>(progress: StageProgress<Stage> | null, names: Record<Stage, string>): string {
  return progress ? `${names[progress.stage]} — ${progress.message}` : "Starting the solver worker";
}
