"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { JobEnd } from "@/components/progress/job-end";
import { JobProgress } from "@/components/progress/job-progress";
import { fetchCoordinationRuns, fetchTransmissionGrids } from "@/lib/client/coordination-api";
import { fetchPublishedRegions } from "@/lib/client/region-api";
import type { PublishedRegionEntry } from "@/lib/regions/published";
import type { CoordinationRunView, TransmissionGridSummary } from "@/lib/wire/coordination";
import { Card } from "@/components/ui/card";
import { CoordinationDiagram } from "./coordination-diagram";
import { regionCost, RegionAssignTable, SendSetPoints, TransmissionGridSelect, TransmissionGridUpload } from "./coordination-parts";
import { CoordinationResultView, CoordinationRuns } from "./coordination-result";
import styles from "./tso.module.css";
import { useCoordination, type Assignment } from "./use-coordination";

/** The TSO's transmission grids, the published regions and the set-points sent so far, loaded once (runs again on refresh). */
function useCoordinationInputs() {
  const [grids, setGrids] = useState<TransmissionGridSummary[] | null>(null);
  const [gridId, setGridId] = useState<string>("");
  const [regions, setRegions] = useState<PublishedRegionEntry[] | null>(null);
  const [runs, setRuns] = useState<CoordinationRunView[]>([]);
  const [error, setError] = useState<string | null>(null);

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

  return { grids, setGrids, gridId, setGridId, regions, runs, refreshRuns, error };
}

/**
 * TSO–DSO coordination (paper 000 eq. 8, paper 002): the TSO's own transmission grid, each
 * published region assigned to a PCC bus of it, one AC-OPF in the solver worker with every
 * distribution system as its region and cost, and the set-points sent to the DSOs — whose
 * answers (accepted / rejected with a reason) come back here.
 */
export function CoordinationPanel() {
  const { grids, setGrids, gridId, setGridId, regions, runs, refreshRuns, error } = useCoordinationInputs();
  const [buses, setBuses] = useState<Record<string, string>>({});
  const [replaceDemand, setReplaceDemand] = useState(false);
  const { job, run, cancel, prepare } = useCoordination();
  useEffect(() => {
    if (gridId) prepare(gridId);
  }, [gridId, prepare]);

  const grid = grids?.find((g) => g.id === gridId) ?? null;
  const assignments: Assignment[] = useMemo(() => (regions ?? []).flatMap((entry) => (buses[entry.id] && regionCost(entry) ? [{ entry, tsBus: Number(buses[entry.id]) }] : [])), [regions, buses]);
  const assignedLabels = useMemo(() => assignments.map((a) => ({ tsBus: a.tsBus, label: a.entry.gridName })), [assignments]);
  const duplicate = new Set(assignments.map((a) => a.tsBus)).size !== assignments.length;
  const running = job.phase === "running";
  const done = job.phase === "done" ? job : null;

  return (
    <div className="stack" data-testid="coordination-panel">
      <TransmissionGridUpload
        onUploaded={(g) => {
          setGrids((list) => [...(list ?? []), g]);
          setGridId(g.id);
        }}
      />
      <Card
        title="Coordination with the DSOs' regions"
        note="one AC-OPF of the transmission grid, each distribution system as its published region and cost at its PCC (paper 000 eq. 8)"
        testId="coordination-card"
      >
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        {grids && grids.length === 0 && <p className="muted">Upload your transmission grid first.</p>}
        {grids && grids.length > 0 && (
          <TransmissionGridSelect
            grids={grids}
            gridId={gridId}
            onSelect={(id) => {
              setGridId(id);
              setBuses({});
            }}
            running={running}
          />
        )}
        {!regions ? (
          <p className="muted">Loading the published regions…</p>
        ) : regions.length === 0 ? (
          <p className="muted">No DSO has published a region yet.</p>
        ) : (
          <RegionAssignTable regions={regions} grid={grid} buses={buses} setBuses={setBuses} running={running} />
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
            onClick={() => void run(gridId, assignments, replaceDemand)}
            data-testid="coordination-run"
          >
            Run coordination
          </button>
          {running && <JobProgress fraction={job.fraction} label={job.label} testId="coordination-progress" cancel={{ run: cancel, testId: "coordination-cancel" }} />}
          {!running && (
            <span className="muted small">
              {duplicate ? "One region per PCC bus." : `${assignments.length} region${assignments.length === 1 ? "" : "s"} assigned; the OPF runs in the solver worker.`}
            </span>
          )}
        </div>
        <JobEnd job={job} failed="The coordination failed" testIds={{ error: "coordination-error", cancelled: "coordination-cancelled" }} />
        {done && (
          <>
            <CoordinationResultView result={done.result} wallMs={done.wallMs} />
            <SendSetPoints done={done} onSent={() => void refreshRuns()} />
          </>
        )}
      </Card>
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
