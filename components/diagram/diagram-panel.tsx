"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo, useState } from "react";
import { ElementDetails } from "@/components/map/element-details";
import { FlowToolbar } from "@/components/map/flow-toolbar";
import type { GridMapState } from "@/components/map/state";
import { useGridFlows } from "@/components/map/use-grid-flows";
import type { Network } from "@/lib/grid/types";
import type { GridSummary } from "@/lib/wire/dso";
import type { OpfPayload, PowerFlowPayload } from "@/solver-worker/protocol";
import { describeDiagramElement } from "./describe";
import { diagramData } from "@/lib/map/diagram-data";
import { DiagramLegend } from "./diagram-legend";
import { dsoOverlays, LAYOUT_ALGORITHM_TEXT, mergeOverlays, opfOverlays } from "./dso-overlays";
import { LayoutStatus } from "./layout-status";
import { useGridLayout } from "./use-grid-layout";

// deck.gl touches the DOM when imported: load the diagram in the browser only.
const NetworkDiagram = dynamic(() => import("./network-diagram").then((m) => m.NetworkDiagram), {
  ssr: false,
  loading: () => (
    <div style={{ height: 520 }} className="muted small">
      Loading the diagram…
    </div>
  ),
});

/** Grids up to this size get their diagram drawn on opening; larger ones on request. */
const AUTO_DIAGRAM_MAX_BUSES = 20_000;

/** Frame height for a drawing of these bounds: as wide as tall as the page allows, 480–760 px. */
function frameHeight(bounds: [number, number, number, number] | null): number {
  if (!bounds) return 520;
  const aspect = (bounds[3] - bounds[1] + 2) / (bounds[2] - bounds[0] + 2);
  return Math.round(Math.min(760, Math.max(480, 1000 * aspect)));
}

export interface DiagramPanelProps {
  grid: GridSummary;
  /** The grid, parsed, and its project JSON text. */
  net: Network;
  text: string;
  /** The latest power flow result (null before a run) and OPF result to draw over the diagram. */
  result: PowerFlowPayload | null;
  opf?: OpfPayload | null;
}

/**
 * The DSO view's network diagram of a grid without coordinates: its schematic layout
 * (stored with the grid, else computed once in the solver worker), the power flow in
 * the district map's colours with flow arrows, the lowest-voltage bus ringed, and
 * buses the operator may drag into place (saved with the grid).
 */
export function DiagramPanel({ grid, net, text, result, opf = null }: DiagramPanelProps) {
  const big = net.buses.length > AUTO_DIAGRAM_MAX_BUSES;
  const [requested, setRequested] = useState(!big);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  useEffect(() => {
    setRequested(net.buses.length <= AUTO_DIAGRAM_MAX_BUSES);
    setSelectedId(null);
  }, [net]);
  const { state: layout, moveBus, recompute, cancel } = useGridLayout(grid.id, text, requested);
  const ready = layout.phase === "ready" ? layout.layout : null;
  const flows = useGridFlows(net, result, ready !== null);
  const { shown } = flows;

  const built = useMemo(() => {
    if (!ready) return null;
    try {
      return { data: diagramData(net, ready) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [net, ready]);
  const data = built && "data" in built ? built.data : null;
  const state: GridMapState = useMemo(() => ({ loadingPct: shown?.branches.loadingPct ?? null, vm: shown?.buses.vmPu ?? null, selectedId }), [shown, selectedId]);
  const [showOpf, setShowOpf] = useState(true);
  const opfShown = opf && showOpf && opf.buses.ids.length === net.buses.length ? opf : null;
  const overlays = useMemo(() => mergeOverlays(dsoOverlays(shown), opfShown ? opfOverlays(opfShown) : null), [shown, opfShown]);
  const selected = data ? describeDiagramElement(data, state, overlays, selectedId) : null;
  const vmin = shown && shown.summary.vmMinBusId >= 0 ? shown.summary : null;

  return (
    <div className="card" data-testid="district-map-panel">
      <div className="card-title">
        <h2>Network diagram</h2>
        <span className="muted small" data-testid="diagram-facts">
          {ready
            ? `${LAYOUT_ALGORITHM_TEXT[ready.algorithm]} · ${net.buses.length} buses · ${net.branches.length} branches · ${ready.crossings} crossing${ready.crossings === 1 ? "" : "s"}`
            : `${net.buses.length} buses · ${net.branches.length} branches`}
        </span>
      </div>
      <p className="muted small" style={{ marginTop: 0 }}>
        This grid has no coordinates, so it is drawn as a schematic diagram computed from its topology.
        {layout.phase === "ready" && layout.source === "computed" && layout.wallMs !== null && (
          <span data-testid="diagram-computed">
            {" "}
            Laid out in {layout.wallMs.toFixed(0)} ms in the solver worker ({ready!.computeMs.toFixed(0)} ms computing) and stored with the grid.
          </span>
        )}
        {layout.phase === "ready" && layout.source === "stored" && " Stored with the grid."}
        {ready && ready.moved.length > 0 && ` ${ready.moved.length} bus${ready.moved.length === 1 ? "" : "es"} moved by hand.`}
      </p>
      {!requested && (
        <div className="run-bar">
          <button type="button" className="btn btn-primary" onClick={() => setRequested(true)} data-testid="diagram-draw">
            Draw the network diagram
          </button>
          <span className="muted small">{net.buses.length.toLocaleString("en")} buses: the diagram is drawn on request.</span>
        </div>
      )}
      <LayoutStatus layout={layout} buildError={built?.error ?? null} recompute={recompute} cancel={cancel} />
      {data && (
        <>
          <FlowToolbar flows={flows} fpuCount={net.fpus.length} />
          {vmin && (
            <p className="small" style={{ margin: "0 0 8px" }} data-testid="diagram-vmin" data-bus={vmin.vmMinBusId}>
              Lowest voltage {vmin.vmMin.toFixed(5)} p.u. at bus {vmin.vmMinBusId}, ringed on the diagram.
            </p>
          )}
          <NetworkDiagram
            data={data}
            state={state}
            flowMw={shown?.branches.pFromMw ?? null}
            overlays={overlays}
            onSelect={setSelectedId}
            onMoveBus={moveBus}
            height={frameHeight(data.bounds)}
            ariaLabel={`Network diagram of ${grid.name}`}
            testId="dso-network-diagram"
          />
          {opf && (
            <label className="small" style={{ display: "block", margin: "6px 0" }}>
              <input type="checkbox" checked={showOpf} onChange={(e) => setShowOpf(e.target.checked)} data-testid="diagram-show-opf" /> show the optimal power flow&apos;s LMPs and binding limits (
              {opf.binding.length} binding)
            </label>
          )}
          <DiagramLegend overlays={overlays} />
          <div className="muted small" style={{ marginTop: 6 }}>
            Drag to pan, scroll to zoom; switch on <em>Move buses</em> to drag a bus into place (saved with the grid).{" "}
            <button type="button" className="btn btn-ghost btn-small" onClick={recompute} data-testid="diagram-relayout">
              Lay out again{ready && ready.moved.length > 0 ? " (discards the moves)" : ""}
            </button>
          </div>
          {selected && <ElementDetails description={selected} onClose={() => setSelectedId(null)} />}
        </>
      )}
    </div>
  );
}
