"use client";

import { useCallback, useEffect, useState } from "react";
import { answerSetPoint, fetchSetPoints } from "@/lib/client/coordination-api";
import type { PostCoordinateResult } from "@/solver-worker/protocol";
import { formatDateTime, formatMs } from "./format";
import type { GridPanelProps } from "./grid-panel-props";
import { JobProgress } from "@/components/progress/job-progress";
import { usePostCoordination } from "./use-post-coordination";
import type { DsoSetPointView } from "@/lib/wire/coordination";
import { TableHead } from "@/components/ui/table-head";
import { JobEnd } from "@/components/progress/job-end";

const f = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : "—");
const STATUS_LABEL: Record<string, string> = { sent: "awaiting your answer", accepted: "accepted", rejected: "rejected" };
const KIND_LABEL: Record<string, string> = { voltage: "bus voltage", p: "unit P", q: "unit Q", branch: "branch rating" };

/**
 * The PCC set-points the TSO sent for this grid's published regions (paper 000 section IV-B):
 * the DSO dispatches its own units at each in the solver worker (local AC-OPF with the PCC
 * held), sees the dispatch, voltages and any violated limit, and accepts or rejects it with a
 * reason — the status and the reason are all the TSO receives.
 */
export function SetPointsPanel({ grid }: GridPanelProps) {
  const [list, setList] = useState<DsoSetPointView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [answering, setAnswering] = useState<string | null>(null);
  const { job, run, cancel, prepare } = usePostCoordination(grid.id);
  const waiting = list?.some((s) => s.status === "sent" && s.options) ?? false;
  useEffect(() => {
    if (waiting) prepare();
  }, [waiting, prepare]);
  const load = useCallback(
    (signal?: AbortSignal) =>
      fetchSetPoints(grid.id, signal).then(
        (l) => {
          setList(l);
          setError(null);
        },
        (e: Error) => !signal?.aborted && setError(e.message),
      ),
    [grid.id],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const answer = async (sp: DsoSetPointView, status: "accepted" | "rejected") => {
    setAnswering(sp.id);
    try {
      const updated = await answerSetPoint(grid.id, sp.id, status, reason);
      setList((l) => l?.map((x) => (x.id === updated.id ? updated : x)) ?? null);
      setReason("");
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setAnswering(null);
    }
  };

  const running = job.phase === "running";
  return (
    <div className="card" data-testid="setpoints-panel">
      <div className="card-title">
        <h2>TSO set-points</h2>
        <span className="muted small">the exchange the TSO&apos;s coordination asks at your PCC; your dispatch stays with you, only accept/reject and a reason go back</span>
        <button type="button" className="btn" onClick={() => void load()} data-testid="setpoints-refresh">
          Refresh
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="setpoints-error">
          {error}
        </div>
      )}
      {list === null ? (
        <p className="muted small">Loading the set-points…</p>
      ) : list.length === 0 ? (
        <p className="muted small" data-testid="setpoints-none">
          No set-point from the TSO yet: publish a region with its cost, the TSO assigns it to a PCC bus and sends the coordination&apos;s set-point.
        </p>
      ) : (
        <SetPointsTable list={list} running={running} onDispatch={(sp) => void run(sp)} />
      )}
      {running && (
        <div className="run-bar">
          <JobProgress fraction={job.fraction} label={job.label} testId="setpoint-progress" cancel={{ run: cancel, testId: "setpoint-cancel" }} />
        </div>
      )}
      <JobEnd job={job} failed="The dispatch could not be computed" testIds={{ error: "setpoint-dispatch-error" }} />
      {job.phase === "done" && list && (
        <DispatchResult
          result={job.result}
          wallMs={job.wallMs}
          setPoint={list.find((s) => s.id === job.setPointId) ?? null}
          reason={reason}
          onReason={setReason}
          busy={answering !== null}
          onAnswer={(sp, status) => void answer(sp, status)}
        />
      )}
    </div>
  );
}

/** The set-points sent for this grid, with their status and reason, each with its dispatch to run. */
function SetPointsTable({ list, running, onDispatch }: { list: DsoSetPointView[]; running: boolean; onDispatch: (sp: DsoSetPointView) => void }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="setpoints-table">
        <TableHead columns={["Sent", "Region", { num: "p (MW)" }, { num: "q (MVAr)" }, { num: "v (p.u.)" }, "Status", "Reason", ""]} />
        <tbody>
          {list.map((sp) => (
            <tr key={sp.id} data-status={sp.status} data-testid="setpoint-row">
              <td>{formatDateTime(sp.sentAt)}</td>
              <td>
                {sp.kind === "pqv" ? "PQV" : "PQ"} ({sp.method})
              </td>
              <td className="num">{f(sp.pMw)}</td>
              <td className="num">{f(sp.qMvar)}</td>
              <td className="num">{sp.kind === "pqv" ? f(sp.vPu) : <span title="a PQ region keeps the feeder's own PCC voltage">{f(sp.vPu)} (TSO side)</span>}</td>
              <td data-testid="setpoint-status">{STATUS_LABEL[sp.status] ?? sp.status}</td>
              <td>{sp.reason ?? ""}</td>
              <td>
                {sp.options ? (
                  <button type="button" className="btn" disabled={running} onClick={() => onDispatch(sp)} data-testid="setpoint-dispatch">
                    Run dispatch
                  </button>
                ) : (
                  <span className="small muted">stored without its problem options: publish the region again</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DispatchResult(p: {
  result: PostCoordinateResult;
  wallMs: number;
  setPoint: DsoSetPointView | null;
  reason: string;
  onReason: (r: string) => void;
  busy: boolean;
  onAnswer: (sp: DsoSetPointView, status: "accepted" | "rejected") => void;
}) {
  const { post, units } = p.result;
  const ok = post.status === "within-limits";
  const v = post.violations;
  return (
    <div className="stack" data-testid="dispatch-result">
      <div className={`alert ${ok ? "alert-ok" : post.status === "failed" ? "alert-error" : "alert-warn"}`} role="status" data-testid="dispatch-summary">
        {ok ? "Within every limit" : post.status === "failed" ? "No dispatch" : "Violations"}: {post.message}. PCC held at {f(post.pccPMw)} MW, {f(post.pccQMvar)} MVAr, {f(post.pccVPu)} p.u.;
        units&apos; cost {f(post.costPerH, 2)} $/h; losses {f(post.lossPMw)} MW; voltages {f(post.vmin)}–{f(post.vmax)} p.u.; violations: {v.voltage} voltage, {v.p} P, {v.q} Q, {v.branch} branch.
        Local AC-OPF {formatMs(post.solveMs)} ms (whole run {formatMs(p.wallMs)} ms).
      </div>
      {post.details.length > 0 && (
        <div className="table-wrap">
          <table className="data" data-testid="dispatch-violations">
            <TableHead columns={["Limit", "Element", { num: "Value" }, { num: "Limit" }]} />
            <tbody>
              {post.details.slice(0, 200).map((d, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only table of one result, never reordered, and rows have no id
                <tr key={i}>
                  <td>{KIND_LABEL[d.kind] ?? d.kind}</td>
                  <td>{d.element}</td>
                  <td className="num">{f(d.value)}</td>
                  <td className="num">{f(d.limit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details open={units.length <= 20}>
        <summary className="small">
          Dispatch of your {units.length} unit{units.length === 1 ? "" : "s"}
        </summary>
        <div className="table-wrap">
          <table className="data" data-testid="dispatch-units">
            <TableHead columns={["Unit", "Bus", { num: "P (MW)" }, { num: "P range (MW)" }, { num: "Q (MVAr)" }, { num: "Q range (MVAr)" }]} />
            <tbody>
              {units.slice(0, 200).map((u, k) => (
                <tr key={u.id}>
                  <td>{u.id}</td>
                  <td>{u.bus}</td>
                  <td className="num">{f(post.unitP[k])}</td>
                  <td className="num">
                    {f(u.pMinMW)} … {f(u.pMaxMW)}
                  </td>
                  <td className="num">{f(post.unitQ[k])}</td>
                  <td className="num">
                    {f(u.qMinMVAr)} … {f(u.qMaxMVAr)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {units.length > 200 && <p className="muted small">First 200 of {units.length} units.</p>}
        </div>
      </details>
      {p.setPoint && p.setPoint.status === "sent" && (
        <div className="run-bar">
          <button type="button" className="btn btn-primary" disabled={p.busy} onClick={() => p.onAnswer(p.setPoint!, "accepted")} data-testid="setpoint-accept">
            Accept
          </button>
          <input
            type="text"
            value={p.reason}
            maxLength={500}
            placeholder="reason (required to reject; the TSO reads it)"
            onChange={(e) => p.onReason(e.target.value)}
            data-testid="setpoint-reason"
            aria-label="Reason"
          />
          <button type="button" className="btn" disabled={p.busy || !p.reason.trim()} onClick={() => p.onAnswer(p.setPoint!, "rejected")} data-testid="setpoint-reject">
            Reject
          </button>
        </div>
      )}
      {p.setPoint && p.setPoint.status !== "sent" && (
        <div className="alert alert-ok" role="status" data-testid="setpoint-answered">
          You {p.setPoint.status} this set-point{p.setPoint.reason ? ` (${p.setPoint.reason})` : ""}; the TSO sees that, nothing else.
        </div>
      )}
    </div>
  );
}
