"use client";

import { useState, type FormEvent } from "react";
import { useHydrated } from "../forms/use-hydrated";
import { formatDateTime, formatMs, formatMw } from "@/components/dso/format";
import { fetchRun, resultsCsvUrl, runBcm } from "./api";
import styles from "./bcm.module.css";
import { ResultsTable } from "./results-table";
import { conservationGapMw } from "./results-view";
import type { BcmRunDetail, BcmRunSummary } from "@/lib/wire/bcm";
import { MAX_REQUEST_MW } from "@/lib/limits/uploads";

/** P_E of the provisioning paper's case (section IV): the default request. */
const DEFAULT_REQUEST_MW = 1.8;

interface Props {
  run: BcmRunDetail | null;
  runs: BcmRunSummary[];
  onRun: (run: BcmRunDetail) => void;
}

/** Request balancing power, run the BCM on the server, and read this aggregator's re-aggregated results. */
export function RunPanel({ run, runs, onRun }: Props) {
  const hydrated = useHydrated();
  const [request, setRequest] = useState(String(DEFAULT_REQUEST_MW));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const mw = Number(request);
    if (request.trim() === "" || !Number.isFinite(mw) || mw === 0 || Math.abs(mw) > MAX_REQUEST_MW) {
      return setError(`enter the requested balancing power in MW: a non-zero number within ±${MAX_REQUEST_MW} (negative = downward)`);
    }
    setBusy(true);
    try {
      onRun(await runBcm(mw));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function open(id: string) {
    setError(null);
    try {
      onRun(await fetchRun(id));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="card" data-testid="bcm-run">
      <div className="card-title">
        <h2>Run the bid congestion manager</h2>
        {runs.length > 0 && (
          <label className="small muted">
            Earlier runs{" "}
            <select value={run?.id ?? ""} onChange={(e) => e.target.value && open(e.target.value)} data-testid="bcm-run-history">
              <option value="">—</option>
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {formatDateTime(r.createdAt)} · {r.requestMw} MW · {r.status}
                  {r.startedByYou ? "" : " (started by another aggregator)"}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p className="muted small">
        All portfolios on the platform are split by asset location, cleared on the server against the DSOs&apos; published light models (MILP, HiGHS), and the results re-aggregated per bid. You see
        your own bids&apos; results only.
      </p>
      <form className={styles.runBar} onSubmit={submit} aria-label="Run the bid congestion manager">
        <div>
          <label htmlFor="bcm-request">Requested balancing power P_E (MW)</label>
          <input id="bcm-request" type="number" step="any" value={request} onChange={(e) => setRequest(e.target.value)} data-testid="bcm-request" />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy || !hydrated} data-testid="bcm-run-button">
          {busy ? "Clearing…" : "Run the BCM"}
        </button>
        {busy && <span className="muted small">splitting, clearing and re-aggregating on the server…</span>}
      </form>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="bcm-run-error" style={{ marginTop: "0.75rem" }}>
          {error}
        </div>
      )}
      {run && <RunResult run={run} />}
    </div>
  );
}

function RunResult({ run }: { run: BcmRunDetail }) {
  const ok = run.status === "optimal";
  return (
    <div data-testid="bcm-result" data-run-id={run.id} style={{ marginTop: "1rem" }}>
      <div className={`alert ${ok ? "alert-ok" : "alert-warn"}`} role="status">
        <span className={`badge ${ok ? "badge-ok" : "badge-bad"}`} data-testid="bcm-status">
          {run.status}
        </span>{" "}
        <span data-testid="bcm-message">{run.message}</span>
      </div>
      {run.skipped.length > 0 && (
        <div className="alert alert-warn" role="alert">
          Left out of this run: {run.skipped.map((s) => `${s.portfolio} (${s.reason})`).join("; ")}
        </div>
      )}
      <div className={styles.kpis}>
        <Kpi label="Requested P_E" value={`${run.requestMw} MW`} sub={`${formatDateTime(run.createdAt)}${run.startedByYou ? "" : " · started by another aggregator"}`} />
        <Kpi label="Activated, whole market" value={`${formatMw(run.marketTotalMw, 4)} MW`} sub={`server: ${formatMs(run.runMs)} ms (clearing ${formatMs(run.clearMs)} ms)`} />
        <Kpi
          label="Activated, your bids"
          value={`${formatMw(run.own.activatedMw, 4)} MW`}
          sub={`of ${formatMw(run.own.offeredUpMw, 3)} MW up / ${formatMw(run.own.offeredDownMw, 3)} MW down offered`}
          testId="bcm-own-mw"
        />
        <Kpi label="Cost of your activations" value={`${run.own.costEur.toFixed(2)} €`} sub={`price × activated MW for 1 h · ${run.own.bids} of your bids took part`} />
      </div>
      <div className="card-title">
        <h3>Your results, re-aggregated per bid</h3>
        <a className="btn btn-small" href={resultsCsvUrl(run.id)} download data-testid="bcm-download-csv">
          Download CSV
        </a>
      </div>
      <p className="muted small" data-testid="bcm-conservation">
        Each bid&apos;s activated total is the sum over its assets (largest difference {conservationGapMw(run.results).toExponential(1)} MW).
      </p>
      <ResultsTable results={run.results} />
    </div>
  );
}

function Kpi({ label, value, sub, testId }: { label: string; value: string; sub: string; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      <div className="sub">{sub}</div>
    </div>
  );
}
