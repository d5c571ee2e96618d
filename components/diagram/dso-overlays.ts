import type { Rgba } from "@/components/map/colors";
import type { LayoutAlgorithm } from "@/lib/layout";
import type { OpfPayload, PowerFlowPayload } from "@/solver-worker/protocol";
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

/** Halo of the OPF's binding limits on the diagram: an amber no loading colour uses. */
const BINDING_COLOR: Rgba = [255, 170, 0, 255];

/**
 * What an optimal power flow adds to the diagram: each bus's LMP (λP, $/MWh) as its fill,
 * and the branches and buses whose limits bind, haloed, with their shadow prices.
 */
export function opfOverlays(opf: OpfPayload): DiagramOverlays {
  const values = new Map<number, number>();
  opf.buses.ids.forEach((id, i) => {
    if (Number.isFinite(opf.buses.lamP[i])) values.set(id, opf.buses.lamP[i]);
  });
  const branches: string[] = [];
  const buses: number[] = [];
  const notes = new Map<string, string>();
  for (const b of opf.binding) {
    const mu = `μ = ${Math.abs(b.multiplier).toPrecision(3)}`;
    if (b.kind === "flow" || b.kind === "angle") {
      branches.push(b.element);
      notes.set(`branch:${b.element}`, `${b.kind === "flow" ? "flow limit" : "angle-difference limit"} (${b.side}) ${b.value.toFixed(2)} of ${b.limit.toFixed(2)}, ${mu} $/h per unit`);
    } else if (b.kind === "vmax" || b.kind === "vmin") {
      const id = Number(b.element);
      buses.push(id);
      notes.set(`bus:${id}`, `voltage ${b.kind === "vmax" ? "max" : "min"} ${b.limit.toFixed(3)} p.u., ${mu} $/h per p.u.`);
    }
  }
  return {
    busValues: { label: "LMP λP ($/MWh)", values, format: (v) => v.toFixed(2) },
    highlights: branches.length + buses.length ? [{ label: "binding limits (OPF)", branches, buses, color: BINDING_COLOR, notes }] : [],
  };
}

/** Both at once: the power flow's markers, then the OPF's prices and binding limits. */
export function mergeOverlays(a: DiagramOverlays, b: DiagramOverlays | null): DiagramOverlays {
  if (!b) return a;
  return { busValues: b.busValues ?? a.busValues ?? null, highlights: [...(a.highlights ?? []), ...(b.highlights ?? [])], markers: [...(a.markers ?? []), ...(b.markers ?? [])] };
}
