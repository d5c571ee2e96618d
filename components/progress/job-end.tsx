import type { ReactNode } from "react";
import type { SolverJob } from "./use-solver-workers";

/**
 * What a panel shows when its job in the solver workers failed (`failed`, then the error's
 * message and any `children`) or was cancelled by the operator.
 */
export function JobEnd({
  job,
  failed,
  testIds,
  pool = false,
  children,
}: {
  job: SolverJob<unknown, unknown>;
  failed: string;
  testIds: { error: string; cancelled?: string };
  /** The job ran over a pool of workers (the message says "workers"). */
  pool?: boolean;
  children?: ReactNode;
}) {
  if (job.phase === "failed")
    return (
      <div className="alert alert-error" role="alert" data-testid={testIds.error}>
        {`${failed}: ${job.message}`}
        {children}
      </div>
    );
  if (job.phase === "cancelled")
    return (
      <div className="alert alert-warn" role="status" data-testid={testIds.cancelled}>
        {pool ? "Cancelled. The solver workers were stopped." : "Cancelled. The solver worker was stopped."}
      </div>
    );
  return null;
}
