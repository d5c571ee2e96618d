"use client";

import { useState } from "react";
import { useHydrated } from "@/components/forms/use-hydrated";
import { JobEnd } from "@/components/progress/job-end";
import { JobProgress } from "@/components/progress/job-progress";
import { Card } from "@/components/ui/card";
import { VERIFY_TOLERANCE } from "@/lib/client/tso-clearing";
import type { ClearingOptions } from "@/lib/client/tso-clearing";
import type { TsoMarket } from "@/lib/wire/tso";
import styles from "./tso.module.css";
import type { ClearingJob } from "./use-tso-clearing";

/** The paper's request to the Bergwald district (section IV). */
const DEFAULT_REQUEST_MW = 1.8;

/** The balancing request P_E and how to clear it (reactive sensitivities, AC-verified), with the clearing's progress. */
export function BalancingRequestCard({ market, job, run, cancel }: { market: TsoMarket | null; job: ClearingJob; run: (o: Omit<ClearingOptions, "groups">) => void; cancel: () => void }) {
  const hydrated = useHydrated();
  const [request, setRequest] = useState(String(DEFAULT_REQUEST_MW));
  const [verified, setVerified] = useState(false);
  const [reactive, setReactive] = useState(true);
  const requestMw = Number(request.replace(",", "."));
  const requestError = request.trim() === "" || !Number.isFinite(requestMw) ? "enter the requested balancing power in MW, e.g. 1.8" : requestMw === 0 ? "the request must not be zero" : null;
  const running = job.phase === "running";

  return (
    <Card title="Balancing request" note="MILP (eq. 11-14) in the solver worker with HiGHS">
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          if (!requestError && !running) run({ requestMw, verified, reactive });
        }}
      >
        <label className={styles.field}>
          P_E (MW, positive = upward)
          <input type="number" step="0.1" value={request} onChange={(e) => setRequest(e.target.value)} aria-invalid={!!requestError} data-testid="tso-request" />
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={reactive} onChange={(e) => setReactive(e.target.checked)} disabled={running} data-testid="tso-reactive" />
          Reactive sensitivities (the bids&apos; Q at constant power factor)
        </label>
        <label className={styles.check} title={`re-linearize until |linear − AC| ≤ ${VERIFY_TOLERANCE.vPu.toExponential(0)} p.u. and ${VERIFY_TOLERANCE.lPct} %`}>
          <input type="checkbox" checked={verified} onChange={(e) => setVerified(e.target.checked)} disabled={running} data-testid="tso-verified" />
          AC-verified (re-linearize on the DSO side until the AC power flow agrees)
        </label>
        <button type="submit" className="btn btn-primary" disabled={!hydrated || running || !!requestError || !market || market.grids.length === 0} data-testid="tso-run">
          Run the clearing
        </button>
        {running && (
          <button type="button" className="btn" onClick={cancel} data-testid="tso-cancel">
            Cancel
          </button>
        )}
      </form>
      {requestError && request.trim() !== "" && <div className="hint">{requestError}</div>}
      {running && (
        <div className="run-bar">
          <JobProgress fraction={job.fraction} label={job.label} testId="tso-progress" />
        </div>
      )}
      <JobEnd job={job} failed="The clearing failed" testIds={{ error: "tso-error", cancelled: "tso-cancelled" }} />
    </Card>
  );
}
