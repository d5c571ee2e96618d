"use client";

import { useEffect } from "react";
import { BranchTable } from "./branch-table";
import { DsoStoreProvider, useDsoStore } from "./dso-store-context";
import { formatDateTime } from "./format";
import { GRID_PANELS } from "./grid-panels";
import { GridRename } from "./grid-rename";
import { GridList } from "./grid-list";
import { GridUploadForm } from "./grid-upload-form";
import { BuildingsUploadForm } from "./buildings-upload-form";
import { PowerFlowSummaryCards } from "./pf-summary";
import { PowerFlowControls } from "./power-flow-panel";
import { RunHistory } from "./run-history";
import { usePowerFlow } from "./use-power-flow";
import { loadPlotly, VoltageProfile } from "./voltage-profile";
import type { GridSummary } from "@/lib/wire/dso";

export function DsoWorkspace({ grids, selectedId }: { grids: GridSummary[]; selectedId: string | null }) {
  return (
    <DsoStoreProvider grids={grids} selectedId={selectedId}>
      <div className="workspace">
        <aside className="stack">
          <GridList />
          <GridUploadForm />
          <BuildingsUploadForm />
        </aside>
        <section className="stack">
          <SelectedGrid />
        </section>
      </div>
    </DsoStoreProvider>
  );
}

function SelectedGrid() {
  const grid = useDsoStore((s) => s.grids.find((g) => g.id === s.selectedId) ?? null);
  const run = useDsoStore((s) => s.run);
  const latest = useDsoStore((s) => s.latest);
  const networkJson = useDsoStore((s) => (s.network && s.network.gridId === s.selectedId ? s.network.text : null));
  const { run: runPowerFlow, cancel, refreshHistory } = usePowerFlow();

  // Keep the address bar in step with the selection (?grid=<id>), without a navigation.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (grid) url.searchParams.set("grid", grid.id);
    else url.searchParams.delete("grid");
    window.history.replaceState(null, "", url);
    if (grid) void refreshHistory(grid.id);
  }, [grid, refreshHistory]);

  // Fetch Plotly while the operator looks at the page, not during or after a run.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200));
    idle(() => void loadPlotly());
  }, []);

  if (!grid) {
    return (
      <div className="card empty">
        <h2>No grid selected</h2>
        <p>Select one of your grids on the left, or upload a MATPOWER case or project network.</p>
      </div>
    );
  }
  const result = latest?.result ?? null;
  const rerunning = latest !== null && (run.phase === "fetching" || run.phase === "running");
  return (
    <>
      <div className="card" data-testid="grid-header">
        <div className="card-title">
          <div>
            <h1 style={{ margin: 0 }}>{grid.name}</h1>
            <GridRename key={grid.id} grid={grid} />
            <div className="muted small">
              {grid.busCount} buses · {grid.branchCount} branches{grid.fpuCount ? ` · ${grid.fpuCount} flexible units` : ""}
              {grid.fileName ? ` · from ${grid.fileName}` : ""} · added {formatDateTime(grid.createdAt)}
            </div>
          </div>
        </div>
        <PowerFlowControls run={run} onRun={() => void runPowerFlow(grid.id)} onCancel={cancel} />
        {run.phase === "failed" && (
          <div className="alert alert-error" role="alert" data-testid="pf-error">
            The power flow could not run: {run.message}
          </div>
        )}
        {run.phase === "cancelled" && (
          <div className="alert alert-warn" role="status" data-testid="pf-cancelled">
            Cancelled. The solver worker was stopped; run again when ready.
          </div>
        )}
        {latest && (
          <div className={rerunning ? "stale" : undefined} aria-busy={rerunning}>
            <PowerFlowSummaryCards result={latest.result} wallMs={latest.wallMs} />
          </div>
        )}
      </div>
      {GRID_PANELS.map(({ id, Component }) => (
        <Component key={id} grid={grid} networkJson={networkJson} result={result} />
      ))}
      {result && (
        <div className={rerunning ? "stack stale" : "stack"} aria-busy={rerunning}>
          <VoltageProfile result={result} />
          <BranchTable result={result} />
        </div>
      )}
      <RunHistory />
    </>
  );
}
