"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { JobProgress } from "@/components/progress/job-progress";
import { FileUploadForm } from "@/components/forms/file-upload-form";
import { fetchCoordinationRuns, fetchTransmissionGrids, sendSetPoints, uploadTransmissionGrid } from "@/lib/client/coordination-api";
import { fetchPublishedRegions } from "@/lib/client/region-api";
import { PQV_REGION_SCHEMA, type PublishedRegionEntry } from "@/lib/regions/published";
import { CoordinationDiagram } from "./coordination-diagram";
import { CoordinationResultView, CoordinationRuns } from "./coordination-result";
import styles from "./tso.module.css";
import { useCoordination, type Assignment } from "./use-coordination";
import type { CoordinationRunView, TransmissionGridSummary } from "@/lib/wire/coordination";
import { MAX_UPLOAD_BYTES, tooLargeMessage } from "@/lib/limits/uploads";

/** Whether the TSO can put a published region into its OPF (a PQ region needs the DSO's cost). */
function regionCost(e: PublishedRegionEntry): string | null {
  if (e.region.schema === PQV_REGION_SCHEMA) return "PQV quadratic cost (AC-OPF fit)";
  return e.region.costModel ? `${e.region.costModel.basis}, ${e.region.costModel.exponents.length} terms` : null;
}

/**
 * TSO–DSO coordination (paper 000 eq. 8, paper 002): the TSO's own transmission grid, each
 * published region assigned to a PCC bus of it, one AC-OPF in the solver worker with every
 * distribution system as its region and cost, and the set-points sent to the DSOs — whose
 * answers (accepted / rejected with a reason) come back here.
 */
export function CoordinationPanel() {
  const [grids, setGrids] = useState<TransmissionGridSummary[] | null>(null);
  const [gridId, setGridId] = useState<string>("");
  const [regions, setRegions] = useState<PublishedRegionEntry[] | null>(null);
  const [buses, setBuses] = useState<Record<string, string>>({});
  const [replaceDemand, setReplaceDemand] = useState(false);
  const [runs, setRuns] = useState<CoordinationRunView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [send, setSend] = useState<{ phase: "idle" } | { phase: "sending" } | { phase: "sent"; run: CoordinationRunView } | { phase: "failed"; message: string }>({ phase: "idle" });
  const { job, run, cancel, prepare } = useCoordination();
  useEffect(() => {
    if (gridId) prepare(gridId);
  }, [gridId, prepare]);

  const refreshRuns = useCallback(() => fetchCoordinationRuns().then(setRuns, (e: Error) => setError(e.message)), []);
  useEffect(() => {
    const ctrl = new AbortController();
    const fail = (e: Error) => !ctrl.signal.aborted && setError(e.message);
    fetchTransmissionGrids(ctrl.signal).then((g) => {
      // A grid uploaded while the list was loading stays in it.
      setGrids((cur) => [...g, ...(cur ?? []).filter((c) => !g.some((x) => x.id === c.id))]);
      setGridId((cur) => cur || g.at(-1)?.id || "");
    }, fail);
    fetchPublishedRegions(ctrl.signal).then(setRegions, fail);
    fetchCoordinationRuns(ctrl.signal).then(setRuns, fail);
    return () => ctrl.abort();
  }, []);

  const grid = grids?.find((g) => g.id === gridId) ?? null;
  const assignments: Assignment[] = useMemo(() => (regions ?? []).flatMap((entry) => (buses[entry.id] && regionCost(entry) ? [{ entry, tsBus: Number(buses[entry.id]) }] : [])), [regions, buses]);
  const assignedLabels = useMemo(() => assignments.map((a) => ({ tsBus: a.tsBus, label: a.entry.gridName })), [assignments]);
  const duplicate = new Set(assignments.map((a) => a.tsBus)).size !== assignments.length;
  const running = job.phase === "running";
  const done = job.phase === "done" ? job : null;

  const sendOut = async () => {
    if (!done) return;
    setSend({ phase: "sending" });
    try {
      const r = done.result;
      const sent = await sendSetPoints({
        transmissionGridId: done.gridId,
        replaceDemand: done.replaceDemand,
        result: { status: r.status, message: r.message, objective: r.objective, tsCostPerH: r.tsCostPerH, iterations: r.iterations, solveMs: r.solveMs, binding: r.binding },
        setPoints: r.setPoints.map(({ regionId, tsBus, label, pMw, qMvar, vPu, dsCostPerH, lmpP, lmpQ, onBoundary }) => ({
          regionId,
          tsBus,
          label,
          pMw,
          qMvar,
          vPu,
          dsCostPerH,
          lmpP,
          lmpQ,
          onBoundary,
        })),
      });
      setSend({ phase: "sent", run: sent });
      void refreshRuns();
    } catch (e) {
      setSend({ phase: "failed", message: (e as Error).message });
    }
  };

  return (
    <div className="stack" data-testid="coordination-panel">
      <FileUploadForm
        title="Transmission grid"
        id="ts-grid"
        fileLabel="Your transmission grid"
        accept=".m,.json"
        hint="MATPOWER case (.m) or project network (.json) with a cost for every generator (mpc.gencost). Stored under the TSO; no DSO sees it."
        testIds={{ file: "ts-grid-file", error: "ts-grid-error", ok: "ts-grid-ok" }}
        noFileMessage="choose a grid file first"
        namePlaceholder="from the file"
        precheck={(file) => (file.size > MAX_UPLOAD_BYTES ? `${file.name}: ${tooLargeMessage(file.size)}` : null)}
        upload={async (file, name) => {
          const g = await uploadTransmissionGrid(file, name);
          setGrids((list) => [...(list ?? []), g]);
          setGridId(g.id);
          return `${g.name}: ${g.busCount} buses, ${g.branchCount} branches, ${g.generatorCount} generators with costs`;
        }}
      />
      <div className="card" data-testid="coordination-card">
        <div className="card-title">
          <h2>Coordination with the DSOs&apos; regions</h2>
          <span className="muted small">one AC-OPF of the transmission grid, each distribution system as its published region and cost at its PCC (paper 000 eq. 8)</span>
        </div>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        {grids && grids.length === 0 && <p className="muted">Upload your transmission grid first.</p>}
        {grids && grids.length > 0 && (
          <label className="small">
            Transmission grid:{" "}
            <select
              value={gridId}
              onChange={(e) => {
                setGridId(e.target.value);
                setBuses({});
              }}
              data-testid="coordination-grid"
              disabled={running}
            >
              {grids.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name} ({g.busCount} buses)
                </option>
              ))}
            </select>
          </label>
        )}
        {!regions ? (
          <p className="muted">Loading the published regions…</p>
        ) : regions.length === 0 ? (
          <p className="muted">No DSO has published a region yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data" data-testid="coordination-assign">
              <thead>
                <tr>
                  <th>Grid</th>
                  <th>DSO</th>
                  <th>Region</th>
                  <th>Cost</th>
                  <th>PCC bus</th>
                </tr>
              </thead>
              <tbody>
                {regions.map((e) => {
                  const cost = regionCost(e);
                  return (
                    <tr key={e.id} data-grid={e.gridName} data-kind={e.kind}>
                      <td>{e.gridName}</td>
                      <td>{e.dso}</td>
                      <td>
                        {e.kind === "pqv" ? "PQV" : "PQ"} ({e.method})
                      </td>
                      <td className="small">{cost ?? <span className="muted">no cost model: the DSO must publish it again</span>}</td>
                      <td>
                        <select
                          value={buses[e.id] ?? ""}
                          disabled={!grid || !cost || running}
                          onChange={(ev) => setBuses((b) => ({ ...b, [e.id]: ev.target.value }))}
                          data-testid="coordination-bus"
                          aria-label={`PCC bus of ${e.gridName} (${e.method})`}
                        >
                          <option value="">not assigned</option>
                          {grid?.pccBuses.map((b) => (
                            <option key={b} value={String(b)}>
                              bus {b}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {grid && <CoordinationDiagram gridId={grid.id} assigned={assignedLabels} result={done && done.gridId === grid.id ? done.result : null} />}
        <label className={styles.check}>
          <input type="checkbox" checked={replaceDemand} onChange={(e) => setReplaceDemand(e.target.checked)} disabled={running} data-testid="coordination-replace-demand" />
          The distribution system replaces the PCC bus&apos;s own demand (off: its exchange comes on top of it)
        </label>
        <div className="run-bar">
          <button
            type="button"
            className="btn btn-primary"
            disabled={running || !grid || assignments.length === 0 || duplicate}
            onClick={() => {
              setSend({ phase: "idle" });
              void run(gridId, assignments, replaceDemand);
            }}
            data-testid="coordination-run"
          >
            Run coordination
          </button>
          {running && (
            <>
              <JobProgress fraction={job.fraction} label={job.label} testId="coordination-progress" />
              <button type="button" className="btn" onClick={cancel} data-testid="coordination-cancel">
                Cancel
              </button>
            </>
          )}
          {!running && (
            <span className="muted small">
              {duplicate ? "One region per PCC bus." : `${assignments.length} region${assignments.length === 1 ? "" : "s"} assigned; the OPF runs in the solver worker.`}
            </span>
          )}
        </div>
        {job.phase === "failed" && (
          <div className="alert alert-error" role="alert" data-testid="coordination-error">
            The coordination failed: {job.message}
          </div>
        )}
        {job.phase === "cancelled" && (
          <div className="alert alert-warn" role="status" data-testid="coordination-cancelled">
            Cancelled. The solver worker was stopped.
          </div>
        )}
        {done && (
          <>
            <CoordinationResultView result={done.result} wallMs={done.wallMs} />
            <div className="run-bar">
              <button
                type="button"
                className="btn btn-primary"
                disabled={send.phase === "sending" || send.phase === "sent" || done.result.status !== "optimal"}
                onClick={() => void sendOut()}
                data-testid="coordination-send"
              >
                Send set-points
              </button>
              {send.phase === "sent" && (
                <span className="alert alert-ok" role="status" data-testid="coordination-sent">
                  Sent {send.run.setPoints.length} set-point{send.run.setPoints.length === 1 ? "" : "s"}: each DSO sees only its own.
                </span>
              )}
              {send.phase === "failed" && (
                <span className="alert alert-error" role="alert" data-testid="coordination-send-error">
                  {send.message}
                </span>
              )}
            </div>
          </>
        )}
      </div>
      <div className="card" data-testid="coordination-runs-card">
        <div className="card-title">
          <h2>Set-points sent</h2>
          <button type="button" className="btn" onClick={() => void refreshRuns()} data-testid="coordination-refresh">
            Refresh answers
          </button>
        </div>
        <CoordinationRuns runs={runs} />
      </div>
    </div>
  );
}
