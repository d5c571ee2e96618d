"use client";

import { JobEnd } from "@/components/progress/job-end";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useHydrated } from "../forms/use-hydrated";
import { formatMs } from "@/components/dso/format";
import { JobProgress } from "@/components/progress/job-progress";
import { loadPlotly } from "@/components/dso/plotly-chart";
import { fetchTsoMarket } from "@/lib/client/tso-api";
import { VERIFY_TOLERANCE } from "@/lib/client/tso-clearing";
import { BidsPanel } from "./bids-panel";
import { ClearingResultView } from "./clearing-result";
import { CoordinationPanel } from "./coordination-panel";
import { DemoMaps } from "./demo-maps";
import { PublishedModels } from "./published-models";
import { PublishedRegions } from "./published-regions";
import { TsoRunHistory } from "./run-history";
import styles from "./tso.module.css";
import { useTsoClearing } from "./use-tso-clearing";
import { IterationsTable, ValidationPlots, ValidationTable } from "./validation-view";
import type { PublishedModelSummary, RunListItem, TsoMarket } from "@/lib/wire/tso";

/** The paper's request to the Bergwald district (section IV). */
const DEFAULT_REQUEST_MW = 1.8;

/**
 * The TSO's view (provisioning paper eq. 11-14, Table I, Fig. 3-5): the published
 * light models and the bids, a balancing request cleared in the solver worker, the
 * DSO-side validation, and — where a DSO enabled it — the demonstrator map.
 */
export function TsoWorkspace({ models, runs: initialRuns }: { models: PublishedModelSummary[]; runs: RunListItem[] }) {
  const hydrated = useHydrated();
  const gridNames = useMemo(() => new Map(models.map((m) => [m.gridId, m.gridName])), [models]);
  const [market, setMarket] = useState<TsoMarket | null>(null);
  const [marketError, setMarketError] = useState<string | null>(null);
  const [runs, setRuns] = useState(initialRuns);
  const [request, setRequest] = useState(String(DEFAULT_REQUEST_MW));
  const [verified, setVerified] = useState(false);
  const [reactive, setReactive] = useState(true);
  const onSaved = useCallback((r: RunListItem) => setRuns((list) => [r, ...list.filter((x) => x.id !== r.id)].slice(0, 15)), []);
  const { job, run, cancel } = useTsoClearing(gridNames, onSaved);

  useEffect(() => {
    const abort = new AbortController();
    fetchTsoMarket(abort.signal)
      .then(setMarket)
      .catch((e: Error) => !abort.signal.aborted && setMarketError(e.message));
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200));
    idle(() => void loadPlotly());
    return () => abort.abort();
  }, []);

  const requestMw = Number(request.replace(",", "."));
  const requestError = request.trim() === "" || !Number.isFinite(requestMw) ? "enter the requested balancing power in MW, e.g. 1.8" : requestMw === 0 ? "the request must not be zero" : null;
  const running = job.phase === "running";
  const done = job.phase === "done" ? job : null;
  const validations = done?.outcome.validations ?? null;

  return (
    <div className="stack">
      <div className="card">
        <div className="card-title">
          <h2>Published light models</h2>
          <span className="muted small">all the TSO knows of the distribution grids</span>
        </div>
        <PublishedModels models={models} />
      </div>

      <div className="card" data-testid="tso-regions-card">
        <div className="card-title">
          <h2>Published flexibility regions</h2>
          <span className="muted small">each DSO&apos;s feasible exchange at its PCC, as coefficients only</span>
        </div>
        <PublishedRegions />
      </div>

      <CoordinationPanel />

      <div className="card">
        <div className="card-title">
          <h2>Bids</h2>
          <span className="muted small">after the bid congestion manager: per asset, at opaque locations</span>
        </div>
        {marketError && (
          <div className="alert alert-error" role="alert">
            The bids could not be loaded: {marketError}
          </div>
        )}
        {market ? <BidsPanel market={market} gridNames={gridNames} /> : !marketError && <p className="muted">Loading the bids…</p>}
      </div>

      <div className="card">
        <div className="card-title">
          <h2>Balancing request</h2>
          <span className="muted small">MILP (eq. 11-14) in the solver worker with HiGHS</span>
        </div>
        <form
          className={styles.form}
          onSubmit={(e) => {
            e.preventDefault();
            if (!requestError && !running) void run({ requestMw, verified, reactive });
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
      </div>

      {done && (
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
      )}

      {done && validations && (
        <div className="card" data-testid="validation-card">
          <div className="card-title">
            <h2>Validation on the DSO side</h2>
            <span className="muted small">AC power flow with the dispatch on each DSO&apos;s grid, against the linear prediction (Table I)</span>
          </div>
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
        </div>
      )}

      <div className="card" data-testid="tso-map-card">
        <div className="card-title">
          <h2>Grid map</h2>
          <span className="muted small">only grids whose DSO enabled the demonstrator; the others show the PCC</span>
        </div>
        <DemoMaps models={models} runId={done?.run?.id ?? null} validations={validations} />
      </div>

      <div className="card">
        <h2>Recent clearings</h2>
        <TsoRunHistory runs={runs} />
      </div>
    </div>
  );
}
