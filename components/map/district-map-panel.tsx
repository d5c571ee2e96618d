"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo, useRef, useState } from "react";
import type { GridPanelProps } from "@/components/dso/grid-panels";
import { useDsoStoreApi } from "@/components/dso/dso-store-context";
import { fetchNetworkText } from "@/lib/client/api";
import { createBrowserSolverClient, type SolverClient } from "@/lib/client/solver-client";
import { offeredFlexibilityMw, withAllUpwardFlexibility } from "@/lib/district/analysis";
import { parseNetworkJson } from "@/lib/grid/json";
import type { Network } from "@/lib/grid/types";
import type { PowerFlowPayload } from "@/solver-worker/protocol";
import { describeElement } from "./describe";
import { ElementDetails } from "./element-details";
import styles from "./grid-map.module.css";
import type { GridMapState } from "./state";
import { MapLegend } from "./map-legend";
import { gridMapData } from "./map-data";
import { flowSummary, type FlowSummary } from "./flow-summary";

// MapLibre and deck.gl touch the DOM when imported: load the map in the browser only.
const GridMap = dynamic(() => import("./grid-map").then((m) => m.GridMap), {
  ssr: false,
  loading: () => <div style={{ height: 560 }} className="muted small">Loading map…</div>,
});

type Flow = { phase: "idle" } | { phase: "running" } | { phase: "done"; result: PowerFlowPayload } | { phase: "failed"; message: string };

/**
 * The DSO view's map panel: the selected grid on the map with its base-case AC power
 * flow (from the operator's run, else computed in the solver worker on opening), and
 * a toggle that activates all offered upward flexibility at once — every FPU at its
 * largest injection — to show where that congests the grid (deliverable 5.2, Fig. 5).
 */
export function DistrictMapPanel({ grid, networkJson, result }: GridPanelProps) {
  const store = useDsoStoreApi();
  const [text, setText] = useState<string | null>(networkJson);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [allFlex, setAllFlex] = useState(false);
  const [base, setBase] = useState<Flow>({ phase: "idle" });
  const [flex, setFlex] = useState<Flow>({ phase: "idle" });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const client = useRef<SolverClient | null>(null);

  useEffect(() => () => client.current?.dispose(), []);

  // The network text: from the store when a run fetched it, else fetched here (and shared).
  useEffect(() => {
    if (networkJson) {
      setText(networkJson);
      return;
    }
    const abort = new AbortController();
    setText(null);
    setLoadError(null);
    fetchNetworkText(grid.id, abort.signal)
      .then((t) => {
        setText(t);
        store.getState().setNetwork({ gridId: grid.id, text: t });
      })
      .catch((e: Error) => {
        if (!abort.signal.aborted) setLoadError(e.message);
      });
    return () => abort.abort();
  }, [grid.id, networkJson, store]);

  const net: Network | null = useMemo(() => {
    if (!text) return null;
    try {
      return parseNetworkJson(text);
    } catch (e) {
      setLoadError((e as Error).message);
      return null;
    }
  }, [text]);
  const data = useMemo(() => (net ? gridMapData(net) : null), [net]);
  const offered = useMemo(() => (net ? offeredFlexibilityMw(net) : null), [net]);

  // A fresh network means fresh results.
  useEffect(() => {
    setBase({ phase: "idle" });
    setFlex({ phase: "idle" });
    setSelectedId(null);
  }, [net]);

  const operatorRun = result && net && result.branches.ids.length === net.branches.length && result.buses.ids.length === net.buses.length ? result : null;

  // Base case: the operator's run if there is one, else our own in the worker.
  useEffect(() => {
    if (!net || !data?.bounds || operatorRun || base.phase !== "idle") return;
    setBase({ phase: "running" });
    client.current ??= createBrowserSolverClient();
    client.current
      .run("powerflow", { network: net })
      .then((r) => setBase({ phase: "done", result: r }))
      .catch((e: Error) => setBase({ phase: "failed", message: e.message }));
  }, [net, data, operatorRun, base.phase]);

  // All offered upward flexibility: computed once per network when first shown.
  useEffect(() => {
    if (!net || !allFlex || flex.phase !== "idle") return;
    setFlex({ phase: "running" });
    client.current ??= createBrowserSolverClient();
    client.current
      .run("powerflow", { network: withAllUpwardFlexibility(net) })
      .then((r) => setFlex({ phase: "done", result: r }))
      .catch((e: Error) => setFlex({ phase: "failed", message: e.message }));
  }, [net, allFlex, flex.phase]);

  const baseResult = operatorRun ?? (base.phase === "done" ? base.result : null);
  const shown = allFlex ? (flex.phase === "done" ? flex.result : null) : baseResult;
  const state: GridMapState = useMemo(
    () => ({ loadingPct: shown?.branches.loadingPct ?? null, vm: shown?.buses.vmPu ?? null, selectedId }),
    [shown, selectedId],
  );
  const summary: FlowSummary | null = shown && net ? flowSummary(shown) : null;

  if (loadError) {
    return (
      <div className="card" data-testid="district-map-panel">
        <h2>Grid map</h2>
        <div className="alert alert-error" role="alert">
          The grid could not be loaded for the map: {loadError}
        </div>
      </div>
    );
  }
  if (!data || !net) {
    return (
      <div className="card" data-testid="district-map-panel">
        <h2>Grid map</h2>
        <p className="muted">Loading the grid…</p>
      </div>
    );
  }
  if (!data.bounds || data.lines.length === 0) {
    return (
      <div className="card" data-testid="district-map-panel">
        <h2>Grid map</h2>
        <p className="muted" data-testid="map-no-coordinates">
          This grid has no coordinates, so it cannot be drawn on a map. Generated districts and grids built from uploaded buildings carry them; MATPOWER cases
          usually do not.
        </p>
      </div>
    );
  }

  const pending = allFlex ? flex : operatorRun ? null : base;
  const selected = describeElement(data, state, selectedId);
  const nFpu = net.fpus.length;
  return (
    <div className="card" data-testid="district-map-panel">
      <div className="card-title">
        <h2>Grid map</h2>
        <span className="muted small">
          {data.substations.length} substations · {data.lines.length} lines · {data.buildings.features.length} buildings
        </span>
      </div>
      <div className={styles.toolbar}>
        <label className={styles.toggle}>
          <input type="checkbox" checked={allFlex} disabled={nFpu === 0} onChange={(e) => setAllFlex(e.target.checked)} data-testid="map-all-flex-toggle" />
          All offered flexibility activated
          {offered && nFpu > 0 && <span className="muted small">(+{offered.upMw.toFixed(2)} MW from {nFpu} units)</span>}
        </label>
        <span className={`${styles.summary} ${summary && (summary.congested > 0 || summary.voltageViolations > 0) ? styles.summaryAlarm : ""}`} data-testid="map-flow-summary" aria-live="polite">
          {pending?.phase === "running" && "Computing the AC power flow in the solver worker…"}
          {pending?.phase === "failed" && `The power flow failed: ${pending.message}`}
          {summary && <FlowSummaryText label={allFlex ? "All upward flexibility" : "Base case"} s={summary} />}
        </span>
      </div>
      <GridMap data={data} state={state} onSelect={setSelectedId} height={560} ariaLabel={`Map of ${grid.name}`} testId="dso-grid-map" />
      <MapLegend />
      {selected && <ElementDetails description={selected} onClose={() => setSelectedId(null)} />}
    </div>
  );
}

function FlowSummaryText({ label, s }: { label: string; s: FlowSummary }) {
  return (
    <>
      {label}: {s.converged ? "converged" : "not converged"}; max loading {s.maxLoadingPct === null ? "n/a" : `${s.maxLoadingPct.toFixed(1)} %`}
      {s.maxLoadingBranchId ? ` (${s.maxLoadingBranchId})` : ""}; voltages {s.vmMin.toFixed(3)}–{s.vmMax.toFixed(3)} p.u.;{" "}
      <span data-testid="map-congested-count">{s.congested}</span> congested branch{s.congested === 1 ? "" : "es"}
      {s.voltageViolations > 0 ? `, ${s.voltageViolations} buses outside 0.95–1.05 p.u.` : ""}
    </>
  );
}
