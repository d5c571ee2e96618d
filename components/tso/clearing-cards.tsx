"use client";

import { Card } from "@/components/ui/card";
import { formatMs } from "@/components/dso/format";
import { VERIFY_TOLERANCE } from "@/lib/client/tso-clearing";
import { ClearingResultView } from "./clearing-result";
import type { ClearingJob } from "./use-tso-clearing";
import { IterationsTable, ValidationPlots, ValidationTable } from "./validation-view";

type Done = Extract<ClearingJob, { phase: "done" }>;

/** A finished clearing: its result and times, then the DSO-side validation of its dispatch (Table I) when there is one. */
export function ClearingCards({ done, gridNames }: { done: Done; gridNames: Map<string, string> }) {
  const validations = done.outcome.validations;
  return (
    <>
      <div className="card" data-testid="clearing-result">
        <div className="card-title">
          <h2>Clearing result</h2>
          <span className="muted small" data-testid="clearing-times">
            worker {formatMs(done.clearMs)} ms (last clearing: light models {formatMs(done.outcome.result.parseMs)} ms, MILP {formatMs(done.outcome.result.solveMs)} ms) · whole clearing with
            validation {formatMs(done.wallMs)} ms
            {done.run ? " · stored" : ""}
          </span>
        </div>
        {done.saveError && <div className="alert alert-warn">The run could not be stored: {done.saveError}</div>}
        <ClearingResultView result={done.outcome.result} gridNames={gridNames} />
      </div>
      {validations && (
        <Card title="Validation on the DSO side" note="AC power flow with the dispatch on each DSO's grid, against the linear prediction (Table I)" testId="validation-card">
          <ValidationTable validations={validations} />
          {done.outcome.iterations.length > 1 || done.outcome.iterations[0]?.action === "accepted" ? (
            <>
              <h3>AC-verified clearing</h3>
              <p className="small muted" data-testid="verified-verdict">
                {done.outcome.verified
                  ? `Verified after ${done.outcome.iterations.length} clearing${done.outcome.iterations.length === 1 ? "" : "s"}: no violation, errors within ${VERIFY_TOLERANCE.vPu.toExponential(0)} p.u. and ${VERIFY_TOLERANCE.lPct} %.`
                  : `Not verified within ${done.outcome.iterations.length} clearings; the last one is shown.`}
              </p>
              <IterationsTable iterations={done.outcome.iterations} />
            </>
          ) : null}
          {validations.map((v) => (
            <ValidationPlots key={v.lightModelId} v={v} />
          ))}
        </Card>
      )}
    </>
  );
}
