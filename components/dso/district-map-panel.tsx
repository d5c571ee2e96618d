"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo, useState } from "react";
import { DiagramPanel } from "@/components/diagram/diagram-panel";
import type { GridPanelProps } from "./grid-panel-props";
import { useDsoStore, useDsoStoreApi } from "./dso-store-context";
import { fetchNetworkText } from "@/lib/client/api";
import { parseNetworkJson } from "@/lib/grid/json";
import type { Network } from "@/lib/grid/types";
import { describeElement } from "@/components/map/describe";
import { ElementDetails } from "@/components/map/element-details";
import { FlowToolbar } from "@/components/map/flow-toolbar";
import type { GridMapData } from "@/lib/map/map-data";
import { gridMapData } from "@/lib/map/map-data";
import { MapLegend } from "@/components/map/map-legend";
import type { GridMapState } from "@/components/map/state";
import { useGridFlows } from "@/components/map/use-grid-flows";

// MapLibre and deck.gl touch the DOM when imported: load the map in the browser only.
const GridMap = dynamic(() => import("@/components/map/grid-map").then((m) => m.GridMap), {
  ssr: false,
  loading: () => (
    <div style={{ height: 560 }} className="muted small">
      Loading map…
    </div>
  ),
});

/**
 * The DSO view's drawing of the selected grid: the district map for a grid with
 * coordinates, the network diagram (components/diagram) for one without. Loads the
 * grid's project JSON (from the store when a run fetched it, else itself, and shares it).
 */
export function DistrictMapPanel({ grid, networkJson, result }: GridPanelProps) {
  const store = useDsoStoreApi();
  const opf = useDsoStore((s) => (s.opf?.gridId === grid.id ? s.opf.result : null));
  const [text, setText] = useState<string | null>(networkJson);
  const [loadError, setLoadError] = useState<string | null>(null);

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
  if (!data || !net || !text) {
    return (
      <div className="card" data-testid="district-map-panel">
        <h2>Grid map</h2>
        <p className="muted">Loading the grid…</p>
      </div>
    );
  }
  if (!data.bounds || data.lines.length === 0) return <DiagramPanel grid={grid} net={net} text={text} result={result} opf={opf} />;
  return <MapPanel grid={grid} net={net} data={data} result={result} />;
}

/**
 * The grid on the map with its base-case AC power flow (the operator's run, else
 * computed in the solver worker on opening) and a toggle that activates all offered
 * upward flexibility at once — every FPU at its largest injection — to show where
 * that congests the grid (deliverable 5.2, Fig. 5).
 */
function MapPanel({ grid, net, data, result }: Pick<GridPanelProps, "grid" | "result"> & { net: Network; data: GridMapData }) {
  const flows = useGridFlows(net, result, true);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new network clears the selection (net is the trigger, not read)
  useEffect(() => setSelectedId(null), [net]);
  const { shown } = flows;
  const state: GridMapState = useMemo(() => ({ loadingPct: shown?.branches.loadingPct ?? null, vm: shown?.buses.vmPu ?? null, selectedId }), [shown, selectedId]);
  const selected = describeElement(data, state, selectedId);
  return (
    <div className="card" data-testid="district-map-panel">
      <div className="card-title">
        <h2>Grid map</h2>
        <span className="muted small">
          {data.substations.length} substations · {data.lines.length} lines · {data.buildings.features.length} buildings
        </span>
      </div>
      <FlowToolbar flows={flows} fpuCount={net.fpus.length} />
      <GridMap data={data} state={state} onSelect={setSelectedId} height={560} ariaLabel={`Map of ${grid.name}`} testId="dso-grid-map" />
      <MapLegend />
      {selected && <ElementDetails description={selected} onClose={() => setSelectedId(null)} />}
    </div>
  );
}
