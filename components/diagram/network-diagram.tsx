"use client";

import { Deck, OrthographicView, type Layer, type PickingInfo } from "@deck.gl/core";
import { useEffect, useMemo, useRef, useState } from "react";
import styles from "@/components/map/grid-map.module.css";
import { LAYER_IDS } from "@/components/map/layers";
import type { GridMapData } from "@/components/map/map-data";
import type { GridMapState } from "@/components/map/state";
import { describeDiagramElement } from "./describe";
import { buildDiagramLayers, DIAGRAM_LAYER_IDS, dragPreviewLayers, pickedDiagramElementId } from "./diagram-layers";
import type { DiagramOverlays } from "./overlays";
import { fitView, type DiagramViewState } from "./view";

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
  /** Clicking an element selects it ("bus:<id>", "branch:<id>"); clicking nothing passes null. */
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

/** What end-to-end tests may call on the diagram's frame element (`element.__networkDiagram`). */
export interface NetworkDiagramTestHook {
  /** Screen position (CSS pixels from the frame's top left) of a bus, null if it is not drawn. */
  project(busId: number): [number, number] | null;
  zoom(): number;
}

type Point = [number, number];
type DiagramStatus = "loading" | "ready";

const CONTROLLER = { dragRotate: false, touchRotate: false, keyboard: true, inertia: false, doubleClickZoom: true, scrollZoom: true } as const;
const BUS_LAYERS = new Set<string>([LAYER_IDS.buses, LAYER_IDS.pcc, DIAGRAM_LAYER_IDS.busValues, DIAGRAM_LAYER_IDS.markers]);

/** The bus under a pick (any layer that draws buses), or null. */
function pickedBusId(data: GridMapData, info: PickingInfo): number | null {
  if (!info.layer || !BUS_LAYERS.has(info.layer.id)) return null;
  const id = pickedDiagramElementId(data, info.layer.id, info.object);
  return id?.startsWith("bus:") ? Number(id.slice(4)) : null;
}

/**
 * The network diagram. Pan by dragging, zoom with the wheel or a double click; hover
 * for the tooltip, click for details. The view is fitted to the grid when a new grid
 * is shown and kept while its results or overlays change or buses are moved.
 */
export function NetworkDiagram({ data, state = {}, flowMw, overlays, onSelect, onMoveBus, height = 560, ariaLabel = "Network diagram", testId = "network-diagram", overlayLayers }: NetworkDiagramProps) {
  const frame = useRef<HTMLDivElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const deckRef = useRef<Deck<OrthographicView> | null>(null);
  const [status, setStatus] = useState<DiagramStatus>("loading");
  const [hover, setHover] = useState<{ x: number; y: number; id: string } | null>(null);
  const [moveMode, setMoveMode] = useState(false);
  const [drag, setDrag] = useState<{ busId: number; position: Point } | null>(null);
  const live = useRef({ data, onSelect, onMoveBus, moveMode, drag, panEnabled: true });
  live.current = { ...live.current, data, onSelect, onMoveBus, moveMode, drag };

  const gridLayers = useMemo(() => buildDiagramLayers(data, state, { flowMw, overlays }), [data, state, flowMw, overlays]);
  const previewLayers = useMemo(() => dragPreviewLayers(data, drag), [data, drag]);
  const layers = useMemo(() => [...gridLayers, ...(overlayLayers ?? []), ...previewLayers], [gridLayers, overlayLayers, previewLayers]);
  const layersRef = useRef(layers);
  layersRef.current = layers;
  // A new grid (not a moved bus or new results) gets a fitted view.
  const fitKey = `${data.name}|${data.busCount}|${data.branchCount}`;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const setPan = (enabled: boolean) => {
      if (live.current.panEnabled === enabled) return;
      live.current.panEnabled = enabled;
      deck.setProps({ controller: { ...CONTROLLER, dragPan: enabled } });
    };
    let rendered = false;
    const deck = new Deck<OrthographicView>({
      parent: el,
      views: new OrthographicView({ id: "diagram", flipY: true }),
      // No multisampling: the lines and dots are smoothed by their own shaders, and a software
      // renderer (no GPU) would spend most of each frame resolving 4× samples.
      deviceProps: { type: "webgl", webgl: { antialias: false, preserveDrawingBuffer: false } },
      controller: { ...CONTROLLER, dragPan: true },
      layers: layersRef.current,
      pickingRadius: 5,
      onHover: (info) => {
        const d = live.current.data;
        const id = pickedDiagramElementId(d, info.layer?.id, info.object);
        setHover(id ? { x: info.x, y: info.y, id } : null);
        // In move mode a drag that starts on a bus moves the bus, elsewhere it pans.
        setPan(!(live.current.moveMode && pickedBusId(d, info) !== null));
      },
      onClick: (info) => live.current.onSelect?.(pickedDiagramElementId(live.current.data, info.layer?.id, info.object)),
      onDragStart: (info) => {
        if (!live.current.moveMode) return;
        const busId = pickedBusId(live.current.data, info);
        if (busId !== null && info.coordinate) setDrag({ busId, position: [info.coordinate[0], info.coordinate[1]] });
      },
      onDrag: (info) => {
        const current = live.current.drag;
        if (current && info.coordinate) setDrag({ busId: current.busId, position: [info.coordinate[0], info.coordinate[1]] });
      },
      onDragEnd: (info) => {
        const current = live.current.drag;
        if (!current) return;
        const position: Point = info.coordinate ? [info.coordinate[0], info.coordinate[1]] : current.position;
        setDrag(null);
        live.current.onMoveBus?.(current.busId, position);
      },
      getCursor: ({ isHovering, isDragging }) => (live.current.drag ? "grabbing" : isDragging ? "grabbing" : isHovering ? (live.current.moveMode ? "move" : "pointer") : "grab"),
      onAfterRender: () => {
        if (rendered) return;
        rendered = true;
        setStatus("ready");
      },
    });
    deckRef.current = deck;
    const hook: NetworkDiagramTestHook = {
      project: (busId) => {
        const b = live.current.data.buses.find((x) => x.id === busId);
        const viewport = deck.getViewports()[0];
        if (!b || !viewport) return null;
        const [x, y] = viewport.project(b.position);
        return [x, y];
      },
      zoom: () => deck.getViewports()[0]?.zoom ?? NaN,
    };
    if (frame.current) (frame.current as HTMLDivElement & { __networkDiagram?: NetworkDiagramTestHook }).__networkDiagram = hook;
    return () => {
      deckRef.current = null;
      deck.finalize();
      // finalize() leaves the canvas in the page; a remount (React's strict mode) would stack a second one beside it.
      for (const canvas of el.querySelectorAll("canvas")) canvas.remove();
    };
  }, []);

  useEffect(() => {
    const el = container.current;
    const deck = deckRef.current;
    if (!el || !deck || !data.bounds) return;
    const view: DiagramViewState = fitView(data.bounds, el.clientWidth || 800, el.clientHeight || 500);
    deck.setProps({ initialViewState: view });
    setHover(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refit only for a different grid
  }, [fitKey]);

  useEffect(() => {
    deckRef.current?.setProps({ layers });
  }, [layers]);

  const hovered = hover && !drag ? describeDiagramElement(data, state, overlays, hover.id) : null;
  const congested = data.lines.filter((l) => {
    const v = state.loadingPct?.[l.index];
    return l.inService && v !== undefined && Number.isFinite(v) && Math.abs(v) > 100;
  }).length;

  return (
    <div
      ref={frame}
      className={`${styles.frame} ${styles.plain}`}
      style={{ height }}
      data-testid={testId}
      data-diagram-state={status}
      data-lines={data.lines.length}
      data-buses={data.buses.length}
      data-congested-lines={congested}
      role="region"
      aria-label={ariaLabel}
    >
      <div ref={container} className={styles.canvas} style={{ position: "relative" }} />
      {onMoveBus && (
        <label className={styles.diagramTool}>
          <input type="checkbox" checked={moveMode} onChange={(e) => setMoveMode(e.target.checked)} data-testid="diagram-move-mode" />
          Move buses
        </label>
      )}
      {hovered && hover && (
        <div className={`${styles.tooltip} ${hovered.alarm ? styles.tooltipAlarm : ""}`} style={{ left: hover.x + 14, top: hover.y + 14 }} data-testid="map-tooltip">
          <strong>{hovered.title}</strong>
          <div>{hovered.subtitle}</div>
          {hovered.rows.slice(0, 6).map(([k, v]) => (
            <div key={k}>
              {k}: {v}
            </div>
          ))}
        </div>
      )}
      {status !== "ready" && (
        <div className={styles.status} role="status">
          Drawing the diagram…
        </div>
      )}
    </div>
  );
}
