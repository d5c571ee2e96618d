"use client";

import type { Layer } from "@deck.gl/core";
import { MapboxOverlay } from "@deck.gl/mapbox";
// A namespace import: the default import does not exist under Turbopack (ENVIRONMENT.md).
import * as maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { useEffect, useMemo, useRef, useState } from "react";
import { describeElement } from "./describe";
import styles from "./grid-map.module.css";
import { buildGridLayers, pickedElementId, type GridMapState } from "./layers";
import { MapTooltip } from "./map-tooltip";
import type { GridMapData } from "@/lib/map/map-data";
import { chooseBasemap } from "./style";

/**
 * MapLibre's tile/GeoJSON worker, served from public/maplibre/ (scripts/setup.mjs copies
 * maplibre-gl/dist/maplibre-gl-worker.mjs there): the bundled worker does not load under
 * Next's Turbopack build, which would leave GeoJSON sources (streets, buildings) blank.
 */
const MAPLIBRE_WORKER_URL = "/maplibre/maplibre-gl-worker.mjs";

let workerConfigured = false;
function configureWorker() {
  if (workerConfigured) return;
  maplibregl.setWorkerUrl(MAPLIBRE_WORKER_URL);
  workerConfigured = true;
}

export type MapStatus = "loading" | "ready" | "error";

export interface GridMapProps {
  data: GridMapData;
  state?: GridMapState;
  onSelect?: (id: string | null) => void;
  /** CSS height of the map frame. */
  height?: number | string;
  ariaLabel?: string;
  testId?: string;
  /** Extra deck.gl layers drawn on top of the grid (e.g. the bid congestion manager's asset markers). */
  overlayLayers?: Layer[];
}

/** What end-to-end tests may call on the map's frame element (`element.__gridMap`). */
interface GridMapTestHook {
  project(lonLat: [number, number]): [number, number];
  /** Features MapLibre rendered in these style layers (proves its GeoJSON worker runs). */
  renderedFeatures(layers: string[]): number;
}

interface Hover {
  x: number;
  y: number;
  id: string;
}

/**
 * The grid on a MapLibre map: the offline district basemap (or a configured basemap
 * style) with the deck.gl layers of `buildGridLayers` on top. Hovering shows the
 * element's id, loading and voltage; clicking selects it (`onSelect`).
 */
export function GridMap({ data, state = {}, onSelect, height = 520, ariaLabel = "Grid map", testId = "grid-map", overlayLayers }: GridMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const [status, setStatus] = useState<MapStatus>("loading");
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const layers = useMemo(() => [...buildGridLayers(data, state), ...(overlayLayers ?? [])], [data, state, overlayLayers]);
  const layersRef = useRef(layers);
  layersRef.current = layers;

  // One map per data set (a different grid gets a fresh map and basemap).
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    configureWorker();
    setStatus("loading");
    setError(null);
    setHover(null);
    const styleUrl = process.env.NEXT_PUBLIC_BASEMAP_STYLE_URL;
    const map = new maplibregl.Map({
      container: el,
      style: chooseBasemap(data, styleUrl),
      ...(data.bounds ? { bounds: data.bounds, fitBoundsOptions: { padding: 36 } } : { center: [8.48, 49.0], zoom: 14 }),
      attributionControl: styleUrl ? { compact: true } : false,
      dragRotate: false,
      pitchWithRotate: false,
      maxZoom: 20,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    mapRef.current = map;
    // For end-to-end tests: screen position of a [lon, lat] on this map.
    const hook: GridMapTestHook = {
      project: (p) => {
        const q = map.project(p);
        return [q.x, q.y];
      },
      renderedFeatures: (layers) => (map.isStyleLoaded() ? map.queryRenderedFeatures({ layers: layers.filter((l) => map.getLayer(l)) }).length : 0),
    };
    if (frame.current) (frame.current as HTMLElement & { __gridMap?: GridMapTestHook }).__gridMap = hook;
    let renderedOnce = false;
    let loaded = false;
    const maybeReady = () => {
      if (loaded && renderedOnce) setStatus((s) => (s === "error" ? s : "ready"));
    };
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: layersRef.current,
      pickingRadius: 6,
      onHover: (info) => {
        const id = pickedElementId(data, info.layer?.id, info.object);
        setHover(id ? { x: info.x, y: info.y, id } : null);
      },
      onClick: (info) => {
        onSelectRef.current?.(pickedElementId(data, info.layer?.id, info.object));
      },
      getCursor: ({ isHovering, isDragging }) => (isDragging ? "grabbing" : isHovering ? "pointer" : "grab"),
      onAfterRender: () => {
        if (renderedOnce) return;
        renderedOnce = true;
        maybeReady();
      },
    });
    overlayRef.current = overlay;
    map.addControl(overlay as unknown as maplibregl.IControl);
    map.on("load", () => {
      loaded = true;
      maybeReady();
    });
    map.on("error", (e) => {
      const message = e.error?.message ?? "the map failed to load";
      setError(message);
      setStatus("error");
    });
    return () => {
      overlayRef.current = null;
      mapRef.current = null;
      map.remove();
    };
  }, [data]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers });
  }, [layers]);

  const hovered = hover ? describeElement(data, state, hover.id) : null;
  const congested = data.lines.filter((l) => {
    const v = state.loadingPct?.[l.index];
    return l.inService && v !== undefined && Number.isFinite(v) && Math.abs(v) > 100;
  }).length;

  return (
    <section
      ref={frame}
      className={styles.frame}
      style={{ height }}
      data-testid={testId}
      data-map-state={status}
      data-lines={data.lines.length}
      data-congested-lines={congested}
      aria-label={ariaLabel}
    >
      <div ref={container} className={styles.canvas} />
      {hovered && hover && <MapTooltip description={hovered} x={hover.x} y={hover.y} />}
      {status !== "ready" && (
        <div className={styles.status} role={status === "error" ? "alert" : "status"}>
          {status === "error" ? `Map error: ${error}` : "Loading map…"}
        </div>
      )}
    </section>
  );
}
