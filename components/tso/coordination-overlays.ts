import type { DiagramOverlays } from "@/components/diagram/overlays";
import type { CoordinateResult } from "@/solver-worker/protocol";

/**
 * What the TSO's grid diagram shows of a coordination (pure, for the network diagram's
 * generic overlays): a marker at each PCC bus with its distribution system — and, after a
 * run, its set-point and LMP — and the binding limits of the transmission grid as
 * highlighted branches and buses.
 */
export function coordinationOverlays(assigned: { tsBus: number; label: string }[], result: CoordinateResult | null): DiagramOverlays {
  const sp = new Map((result?.setPoints ?? []).map((s) => [s.tsBus, s]));
  const markers = assigned.map((a) => {
    const s = sp.get(a.tsBus);
    return {
      busId: a.tsBus,
      label: `PCC: ${a.label}`,
      detail: s
        ? [
            `set-point ${s.pMw.toFixed(3)} MW, ${s.qMvar.toFixed(3)} MVAr, ${s.vPu.toFixed(4)} p.u.`,
            `DSO cost ${s.dsCostPerH.toFixed(2)} $/h`,
            `LMP ${s.lmpP.toFixed(2)} $/MWh, ${s.lmpQ.toFixed(2)} $/MVArh`,
          ]
        : ["assigned, not yet coordinated"],
    };
  });
  if (!result) return { markers };
  const branches: string[] = [];
  const buses: number[] = [];
  const notes = new Map<string, string>();
  for (const b of result.binding) {
    const text = `${b.kind}${b.side ? ` (${b.side})` : ""} binding, μ = ${b.multiplier.toFixed(2)} $/h per unit`;
    if (b.kind === "flow" || b.kind === "angle") {
      branches.push(b.element);
      notes.set(`branch:${b.element}`, text);
    } else if ((b.kind === "vmax" || b.kind === "vmin") && Number.isFinite(Number(b.element))) {
      buses.push(Number(b.element));
      notes.set(`bus:${b.element}`, text);
    }
  }
  return { markers, highlights: branches.length + buses.length > 0 ? [{ label: "binding limits", branches, buses, notes }] : [] };
}
