"use client";

import { Deck, OrthographicView, type Layer } from "@deck.gl/core";
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
import { cssTransformBetween, toScreen, type DiagramViewState } from "./view";

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

/** What end-to-end tests may call on the diagram's frame element (`element.__networkDiagram`). */
interface NetworkDiagramTestHook {
  /** Screen position (CSS pixels from the frame's top left) of a bus, null if it is not drawn. */
  project(busId: number): [number, number] | null;
  zoom(): number;
  /** "live" (redrawn on every view change) or "deferred" (moved while the view changes, redrawn when it rests). */
  mode(): RenderMode;
  /** The picture shows the current view: no redraw pending, no moved stand-in. */
  settled(): boolean;
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
  const deckRef = useRef<Deck<OrthographicView> | null>(null);
  const [status, setStatus] = useState<DiagramStatus>("loading");
  const [mode, setMode] = useState<RenderMode>("live");
  const [moveMode, setMoveMode] = useState(false);
  const drawn = useRef<DiagramViewState | null>(null);
  const pending = useRef<DiagramViewState | null>(null);
  // When the last view change was handed to deck.gl, and how long until the page drew again.
  const drawStart = useRef<number | null>(null);
  const drawMs = useRef(0);

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
    draw: (view) => {
      const deck = deckRef.current;
      // The same view again draws nothing new (deck.gl compares it), so nothing would clear `pending`.
      if (!deck || deck.props.viewState === view) return;
      pending.current = view;
      drawStart.current = performance.now();
      deck.setProps({ viewState: view });
    },
    lastDrawMs: () => drawMs.current,
    preview: (view) => {
      const el = host.current;
      if (!el) return;
      el.style.transform = view && drawn.current ? cssTransformBetween(drawn.current, view, { width: el.clientWidth, height: el.clientHeight }) : "";
    },
  });
  const currentView = input.current;
  const dataRef = useRef(data);
  dataRef.current = data;
  const modeRef = useRef(mode);
  modeRef.current = mode;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let rendered = false;
    const deck = new Deck<OrthographicView>({
      parent: el,
      views: new OrthographicView({ id: "diagram", flipY: true }),
      controller: false,
      layers: layersRef.current,
      // No multisampling: lines and dots are smoothed by their own shaders.
      deviceProps: { type: "webgl", webgl: { antialias: false, preserveDrawingBuffer: false } },
      onDeviceInitialized: (device) => setMode(device.info.gpuType === "cpu" ? "deferred" : "live"),
      onAfterRender: () => {
        // The picture now shows the view it was drawn for: drop the CSS stand-in.
        if (pending.current) {
          drawn.current = pending.current;
          pending.current = null;
          // The page shows the frame after the next one is due: a software renderer blocks here.
          const t0 = drawStart.current;
          if (t0 !== null) requestAnimationFrame(() => requestAnimationFrame(() => (drawMs.current = performance.now() - t0)));
          const now = currentView();
          el.style.transform = !now || now === drawn.current ? "" : cssTransformBetween(drawn.current, now, { width: el.clientWidth, height: el.clientHeight });
        }
        if (!rendered && drawn.current) {
          rendered = true;
          setStatus("ready");
        }
      },
    });
    deckRef.current = deck;
    const initial = currentView();
    if (initial) {
      pending.current = initial;
      deck.setProps({ viewState: initial });
    }
    const hook: NetworkDiagramTestHook = {
      project: (busId) => {
        const b = dataRef.current.buses.find((x) => x.id === busId);
        const v = currentView();
        return b && v ? toScreen(v, { width: el.clientWidth, height: el.clientHeight }, b.position) : null;
      },
      zoom: () => currentView()?.zoom ?? NaN,
      mode: () => modeRef.current,
      settled: () => pending.current === null && !el.style.transform && drawn.current !== null && drawn.current === currentView(),
    };
    if (frame.current) (frame.current as HTMLElement & { __networkDiagram?: NetworkDiagramTestHook }).__networkDiagram = hook;
    return () => {
      deckRef.current = null;
      deck.finalize();
      // finalize() leaves the canvas in the page; a remount (React's strict mode) would stack a second one beside it.
      for (const canvas of el.querySelectorAll("canvas")) canvas.remove();
    };
  }, [currentView]);
  useEffect(() => {
    deckRef.current?.setProps({ layers });
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
      <div className={styles.diagramTools}>
        {onMoveBus && (
          <label className={styles.diagramTool}>
            <input type="checkbox" checked={moveMode} onChange={(e) => setMoveMode(e.target.checked)} data-testid="diagram-move-mode" />
            Move buses
          </label>
        )}
        <button type="button" className={styles.diagramTool} onClick={() => input.zoomBy(1)} aria-label="Zoom in">
          +
        </button>
        <button type="button" className={styles.diagramTool} onClick={() => input.zoomBy(-1)} aria-label="Zoom out">
          −
        </button>
        <button type="button" className={styles.diagramTool} onClick={input.fit} data-testid="diagram-fit">
          Fit
        </button>
      </div>
      {hovered && hover && <MapTooltip description={hovered} x={hover.x} y={hover.y} rows={6} />}
      {status !== "ready" && (
        <div className={styles.status} role="status">
          Drawing the diagram…
        </div>
      )}
    </section>
  );
}

/** The hovered bus ringed, or the hovered line traced, over the picture (no redraw of the grid). */
function HoverMark({ data, id, project }: { data: GridMapData; id: string; project: (p: Point) => Point }) {
  if (id.startsWith("bus:")) {
    const b = data.buses.find((x) => `bus:${x.id}` === id);
    if (!b) return null;
    const [x, y] = project(b.position);
    return <circle cx={x} cy={y} r={9} className="hover-ring" fill="none" stroke="rgb(0,180,255)" strokeWidth={3} />;
  }
  const l = data.lines.find((x) => `branch:${x.id}` === id);
  if (!l) return null;
  const [a, b] = [project(l.path[0]), project(l.path[l.path.length - 1])];
  return <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} stroke="rgba(0,180,255,0.75)" strokeWidth={7} strokeLinecap="round" />;
}

/** A bus being dragged: where it would go and its lines to its neighbours. */
function DragMark({ data, busId, position, project }: { data: GridMapData; busId: number; position: Point; project: (p: Point) => Point }) {
  const at = project(position);
  const ends = data.lines.flatMap((l) => (l.from === busId ? [l.path[l.path.length - 1]] : l.to === busId ? [l.path[0]] : []));
  return (
    <g>
      {ends.map((p, k) => {
        const q = project(p);
        // biome-ignore lint/suspicious/noArrayIndexKey: the dashed lines to a dragged bus's neighbours: a fresh list each frame, nothing kept per line
        return <line key={k} x1={q[0]} y1={q[1]} x2={at[0]} y2={at[1]} stroke="rgb(0,180,255)" strokeWidth={3} strokeDasharray="6 4" />;
      })}
      <circle cx={at[0]} cy={at[1]} r={7} fill="rgb(0,180,255)" />
    </g>
  );
}
