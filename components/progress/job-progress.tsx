/** A progress bar for a job in the solver worker (fraction 0..1 and what it is doing). */
export function JobProgress({ fraction, label, testId }: { fraction: number; label: string; testId: string }) {
  const f = Math.max(0.03, Math.min(1, fraction));
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(f * 100)} data-testid={testId}>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${f * 100}%` }} />
      </div>
      <div className="progress-label">{label}</div>
    </div>
  );
}
