import type { ComponentType } from "react";
import { DistrictMapPanel } from "./district-map-panel";
import type { GridPanelProps } from "./grid-panel-props";
import { LightModelPanel } from "./light-model-panel";
import { OpfPanel } from "./opf-panel";
import { PqvPanel } from "./pqv-panel";
import { RegionPanel } from "./region-panel";
import { SetPointsPanel } from "./set-points-panel";
import { TsoRequestsPanel } from "./tso-requests-panel";

export interface GridPanel {
  id: string;
  Component: ComponentType<GridPanelProps>;
}

/**
 * Extra panels of the DSO grid view, rendered in order between the run controls and
 * the results. The district map (district-map-panel.tsx, drawn by components/map and
 * components/diagram) is the first.
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
