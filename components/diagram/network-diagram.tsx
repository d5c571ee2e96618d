"use client";

import type { Layer } from "@deck.gl/core";
import { useEffect, useMemo, useRef, useState } from "react";
import styles from "@/components/map/grid-map.module.css";
import type { GridMapData } from "@/lib/map/map-data";
import { MapTooltip } from "@/components/map/map-tooltip";
import type { GridMapState } from "@/components/map/state";
import { describeDiagramElement } from "./describe";
import { buildDiagramLayers } from "./diagram-layers";
import { buildHitIndex } from "./hit-test";
import type { DiagramOverlays } from "./overlays";
import { useDiagramInput, type RenderMode } from "./use-diagram-input";
import { toScreen } from "./view";
import { drawView, type DrawState, initialDrawState, mountDeck, previewView } from "./diagram-deck";
import { DiagramTools, DragMark, HoverMark } from "./diagram-marks";

/**
 * Props of the network diagram: a grid drawn from schematic coordinates on a plain
 * canvas (deck.gl OrthographicView, no basemap), with the district map's layers,
 * legend colours, tooltips and selection, flow arrows and generic overlays.
 */
export interface NetworkDiagramProps {
  /** The grid with positions in layout units: `diagramData(network, layout)` (or a demo map's schematic data). */
  data: GridMapData;
  /** What the district map shows too: branch loadings (%), bus voltages (p.u.) and the selected element. */
  state?: GridMapState;
  /** Active power at each branch's from end, MW, in network branch order: arrows show the direction of flow. */
  flowMw?: ArrayLike<number> | null;
  /** Generic overlays: a value per bus on a colour scale, highlighted branches and buses, bus markers (see overlays.ts). */
  overlays?: DiagramOverlays;
  /** Clicking an element selects it ("bus:<id>", "branch:<id>"); clicking empty space passes null. */
  onSelect?: (id: string | null) => void;
  /** When given, a "Move buses" switch lets the operator drag buses; each drop reports the bus and its new position (layout units). */
  onMoveBus?: (busId: number, position: [number, number]) => void;
  /** CSS height of the frame. */
  height?: number | string;
  ariaLabel?: string;
  testId?: string;
  /** Extra deck.gl layers drawn on top (e.g. the bid congestion manager's asset markers), in layout units. */
  overlayLayers?: Layer[];
}

type DiagramStatus = "loading" | "ready";
type Point = [number, number];

/**
 * The network diagram. Drag to pan, wheel or double click to zoom (or the +/− buttons);
 * hover for the tooltip, click for details. The view is fitted to the grid when a new
 * grid is shown and kept while its results or overlays change or buses are moved.
 * Under a software renderer the picture follows a gesture as a moved image and is drawn
 * anew once the view rests (use-diagram-input.ts).
 */
export function NetworkDiagram({
  data,
  state = {},
  flowMw,
  overlays,
  onSelect,
  onMoveBus,
  height = 560,
  ariaLabel = "Network diagram",
  testId = "network-diagram",
  overlayLayers,
}: NetworkDiagramProps) {
  const frame = useRef<HTMLElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const drawing = useRef<DrawState>(initialDrawState());
  const [status, setStatus] = useState<DiagramStatus>("loading");
  const [mode, setMode] = useState<RenderMode>("live");
  const [moveMode, setMoveMode] = useState(false);

  const index = useMemo(() => buildHitIndex(data), [data]);
  // Nothing is picked on the GPU: hover and click are hit-tested on the CPU (hit-test.ts).
  const gridLayers = useMemo(() => buildDiagramLayers(data, state, { flowMw, overlays }).map((l) => l.clone({ pickable: false })), [data, state, flowMw, overlays]);
  const layers = useMemo(() => [...gridLayers, ...(overlayLayers ?? [])], [gridLayers, overlayLayers]);
  const layersRef = useRef(layers);
  layersRef.current = layers;

  const input = useDiagramInput({
    frame,
    data,
    index,
    mode,
    moveMode,
    onSelect,
    onMoveBus,
    draw: (view) => drawView(drawing.current, view),
    lastDrawMs: () => drawing.current.drawMs,
    preview: (view) => previewView(drawing.current, host.current, view),
  });
  const currentView = input.current;
  const dataRef = useRef(data);
  dataRef.current = data;
  const modeRef = useRef(mode);
  modeRef.current = mode;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    return mountDeck(drawing.current, {
      host: el,
      frame: frame.current,
      layers: layersRef.current,
      currentView,
      data: () => dataRef.current,
      mode: () => modeRef.current,
      onMode: setMode,
      onReady: () => setStatus("ready"),
    });
  }, [currentView]);
  useEffect(() => {
    drawing.current.deck?.setProps({ layers });
  }, [layers]);

  const { view, size, hover, drag } = input;
  const hovered = hover && !drag ? describeDiagramElement(data, state, overlays, hover.id) : null;
  const congested = useMemo(
    () =>
      data.lines.filter((l) => {
        const v = state.loadingPct?.[l.index];
        return l.inService && v !== undefined && Number.isFinite(v) && Math.abs(v) > 100;
      }).length,
    [data, state],
  );
  const project = (p: Point) => (view ? toScreen(view, size, p) : p);

  return (
    <section
      ref={frame}
      className={`${styles.frame} ${styles.plain}`}
      style={{ height, cursor: drag ? "grabbing" : hover ? (moveMode && hover.id.startsWith("bus:") ? "move" : "pointer") : "grab", touchAction: "none" }}
      data-testid={testId}
      data-diagram-state={status}
      data-render-mode={mode}
      data-lines={data.lines.length}
      data-buses={data.buses.length}
      data-congested-lines={congested}
      aria-label={ariaLabel}
    >
      <div ref={host} className={styles.canvas} style={{ position: "relative", transformOrigin: "0 0" }} />
      <svg className={styles.diagramOverlay} width={size.width} height={size.height} aria-hidden>
        {hover && !drag && <HoverMark data={data} id={hover.id} project={project} />}
        {drag && <DragMark data={data} busId={drag.busId} position={drag.position} project={project} />}
      </svg>
      <DiagramTools moveMode={onMoveBus ? { on: moveMode, set: setMoveMode } : null} zoomBy={input.zoomBy} fit={input.fit} />
      {hovered && hover && <MapTooltip description={hovered} x={hover.x} y={hover.y} rows={6} />}
      {status !== "ready" && (
        <div className={styles.status} role="status">
          Drawing the diagram…
        </div>
      )}
    </section>
  );
}
