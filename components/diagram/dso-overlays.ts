import type { Rgba } from "@/components/map/colors";
import type { LayoutAlgorithm } from "@/lib/layout";
import type { PowerFlowPayload } from "@/solver-worker/protocol";
import type { DiagramOverlays } from "./overlays";

/** Ring of the lowest-voltage bus: a raspberry no loading or voltage colour uses. */
export const VMIN_MARKER: Rgba = [214, 0, 120, 255];

export const LAYOUT_ALGORITHM_TEXT: Record<LayoutAlgorithm, string> = {
  "tidy-tree": "radial: tidy tree from the slack bus",
  force: "meshed: Pivot MDS and springs",
  mixed: "radial parts as trees, meshed parts by springs",
};

/** What the DSO view marks on the diagram of a power flow: the bus with the lowest voltage. */
export function dsoOverlays(pf: PowerFlowPayload | null): DiagramOverlays {
  if (!pf || pf.summary.vmMinBusId < 0 || !Number.isFinite(pf.summary.vmMin)) return {};
  return {
    markers: [{ busId: pf.summary.vmMinBusId, label: `V min ${pf.summary.vmMin.toFixed(3)} p.u.`, detail: [`lowest voltage of the grid, bus ${pf.summary.vmMinBusId}`], color: VMIN_MARKER }],
  };
}
