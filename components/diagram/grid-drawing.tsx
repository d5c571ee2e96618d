"use client";

import type { Layer } from "@deck.gl/core";
import dynamic from "next/dynamic";
import type { GridMapData } from "@/lib/map/map-data";
import { MapLegend } from "@/components/map/map-legend";
import type { GridMapState } from "@/components/map/state";
import { DiagramLegend } from "./diagram-legend";

// MapLibre and deck.gl touch the DOM when imported: load them in the browser only.
const placeholder = (height: number | string) => (
  <div style={{ height }} className="muted small">
    Loading the drawing…
  </div>
);
const GridMap = dynamic(() => import("@/components/map/grid-map").then((m) => m.GridMap), { ssr: false, loading: () => placeholder(520) });
const NetworkDiagram = dynamic(() => import("./network-diagram").then((m) => m.NetworkDiagram), { ssr: false, loading: () => placeholder(520) });

export interface GridDrawingProps {
  data: GridMapData;
  state?: GridMapState;
  /** Active power at each branch's from end, MW: flow arrows on the diagram (the map has none). */
  flowMw?: ArrayLike<number> | null;
  onSelect?: (id: string | null) => void;
  height?: number | string;
  ariaLabel?: string;
  testId?: string;
  overlayLayers?: Layer[];
}

/**
 * A grid drawn the way its data allows: on the MapLibre map when it has geography, as
 * the network diagram when its positions are schematic (the demonstrator views of the
 * TSO and the bid congestion manager use this for grids without coordinates).
 */
export function GridDrawing({ data, flowMw, ...rest }: GridDrawingProps) {
  return data.coordinates === "schematic" ? <NetworkDiagram data={data} flowMw={flowMw} {...rest} /> : <GridMap data={data} {...rest} />;
}

/** The legend that goes with GridDrawing. */
export function GridDrawingLegend({ data }: { data: GridMapData }) {
  return data.coordinates === "schematic" ? <DiagramLegend slackLabel={data.pcc?.label} /> : <MapLegend />;
}
