import { describeElement, type ElementDescription } from "@/components/map/describe";
import type { GridMapData } from "@/lib/map/map-data";
import type { GridMapState } from "@/components/map/state";
import { overlayRows, type DiagramOverlays } from "./overlays";

/** The district map's description of an element with the rows its overlays add (a bus's value, highlights, markers). */
export function describeDiagramElement(data: GridMapData, state: GridMapState, overlays: DiagramOverlays | undefined, id: string | null): ElementDescription | null {
  const d = describeElement(data, state, id);
  if (!d || !id) return d;
  const extra = overlayRows(overlays, id);
  return extra.length ? { ...d, rows: [...extra, ...d.rows] } : d;
}
