import { describe, expect, it } from "vitest";
import type { CoordinateResult } from "@/solver-worker/protocol";
import { coordinationOverlays } from "./coordination-overlays";

const result = {
  setPoints: [
    {
      tsBus: 3,
      regionId: "r",
      label: "A",
      pMw: 0.3383,
      qMvar: 0.007,
      vPu: 0.9783,
      dsCostPerH: 14.47,
      lmpP: 3.77,
      lmpQ: -0.02,
      onBoundary: false,
      method: "slc",
      costBasis: "loss-compensated-balance",
    },
  ],
  binding: [
    { kind: "vmax", element: "29", side: "", value: 1.05, limit: 1.05, multiplier: 29.58 },
    { kind: "flow", element: "10", side: "from", value: 32, limit: 32, multiplier: 2.31 },
    { kind: "pmax", element: "g1", side: "", value: 80, limit: 80, multiplier: 1 },
  ],
} as unknown as CoordinateResult;

describe("the coordination's overlays on the TSO's grid diagram", () => {
  it("marks the assigned PCCs, with the set-point once solved, and highlights binding branch and voltage limits only", () => {
    expect(coordinationOverlays([{ tsBus: 3, label: "Rheintal" }], null)).toEqual({ markers: [{ busId: 3, label: "PCC: Rheintal", detail: ["assigned, not yet coordinated"] }] });
    const o = coordinationOverlays([{ tsBus: 3, label: "Rheintal" }], result);
    expect(o.markers![0].detail).toEqual(["set-point 0.338 MW, 0.007 MVAr, 0.9783 p.u.", "DSO cost 14.47 $/h", "LMP 3.77 $/MWh, -0.02 $/MVArh"]);
    expect(o.highlights).toHaveLength(1);
    expect(o.highlights![0]).toMatchObject({ label: "binding limits", branches: ["10"], buses: [29] });
    expect(o.highlights![0].notes!.get("branch:10")).toBe("flow (from) binding, μ = 2.31 $/h per unit");
  });
});
