import type { ComponentType } from "react";
import { DistrictMapPanel } from "@/components/map/district-map-panel";
import { LightModelPanel } from "./light-model-panel";
import { OpfPanel } from "./opf-panel";
import { PqvPanel } from "./pqv-panel";
import { RegionPanel } from "./region-panel";
import { SetPointsPanel } from "./set-points-panel";
import { TsoRequestsPanel } from "./tso-requests-panel";
import type { PowerFlowPayload } from "@/solver-worker/protocol";
import type { GridSummary } from "@/lib/wire/dso";

/** What every extra panel of the DSO grid view receives. */
export interface GridPanelProps {
  grid: GridSummary;
  /** The grid as project JSON text once fetched for a run (null before the first run). */
  networkJson: string | null;
  /** The latest power flow result of this grid (null before a run). */
  result: PowerFlowPayload | null;
}

export interface GridPanel {
  id: string;
  Component: ComponentType<GridPanelProps>;
}

/**
 * Extra panels of the DSO grid view, rendered in order between the run controls and
 * the results. The district map (components/map/) registers itself here.
 */
export const GRID_PANELS: readonly GridPanel[] = [
  { id: "district-map", Component: DistrictMapPanel },
  { id: "light-model", Component: LightModelPanel },
  { id: "region", Component: RegionPanel },
  { id: "pqv", Component: PqvPanel },
  { id: "opf", Component: OpfPanel },
  { id: "tso-requests", Component: TsoRequestsPanel },
  { id: "set-points", Component: SetPointsPanel },
];
