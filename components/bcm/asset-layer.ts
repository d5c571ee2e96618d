import { ScatterplotLayer } from "@deck.gl/layers";
import type { Layer } from "@deck.gl/core";
import type { AssetMarker, MarkerState } from "@/lib/map/bcm-demo-map";

export const MARKER_COLOR: Record<MarkerState, [number, number, number, number]> = {
  offered: [0, 110, 200, 235],
  full: [20, 150, 60, 245],
  partial: [240, 160, 0, 245],
  none: [150, 155, 165, 220],
};

export const ASSET_LAYER_ID = "bcm-assets";

/** deck.gl layer of the asset markers, drawn over the grid (radius grows with the offered volume). */
export function assetMarkerLayer(markers: AssetMarker[]): Layer {
  return new ScatterplotLayer<AssetMarker>({
    id: ASSET_LAYER_ID,
    data: markers,
    getPosition: (m) => m.position,
    getFillColor: (m) => MARKER_COLOR[m.state],
    getRadius: (m) => 5 + Math.min(9, Math.sqrt(m.offeredMw * 1000) / 2),
    radiusUnits: "pixels",
    stroked: true,
    getLineColor: [255, 255, 255, 255],
    getLineWidth: 1.5,
    lineWidthUnits: "pixels",
  });
}
