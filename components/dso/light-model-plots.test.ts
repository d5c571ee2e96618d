import { describe, expect, it } from "vitest";
import { DEFAULT_DISTRICT_SEED, generateDistrict } from "@/lib/district";
import { DEFAULT_LIGHT_MODEL_OPTIONS } from "@/solver-worker/protocol";
import { runSensitivities } from "@/solver-worker/sensitivities";
import { heatmapGrid, operatingPointProfiles, sensitivityHeatmap } from "./light-model-plots";

describe("heatmapGrid", () => {
  it("keeps a small matrix as it is", () => {
    const g = heatmapGrid(Float64Array.from([1, -2, 3, 4, 5, -6]), 2, 3);
    expect(g.z).toEqual([
      [1, -2, 3],
      [4, 5, -6],
    ]);
    expect(g.rowStarts).toEqual([0, 1]);
    expect(g.colStarts).toEqual([0, 1, 2]);
  });

  it("shows a large matrix by blocks, each by its entry of largest magnitude with its sign", () => {
    // 5x4 into 2x2 blocks: rows [0,2) [2,5), columns [0,2) [2,4).
    const v = new Float64Array(20);
    v[0 * 4 + 1] = -7; // block (0,0)
    v[1 * 4 + 0] = 3;
    v[3 * 4 + 3] = 0.5; // block (1,1)
    v[4 * 4 + 2] = -0.75;
    v[2 * 4 + 1] = 2; // block (1,0)
    const g = heatmapGrid(v, 5, 4, 2, 2);
    expect(g.rowStarts).toEqual([0, 2]);
    expect(g.colStarts).toEqual([0, 2]);
    expect(g.z).toEqual([
      [-7, 0],
      [2, -0.75],
    ]);
    expect(() => heatmapGrid(v, 4, 4)).toThrow("matrix has 20 values for 4x4");
  });
});

describe("light-model plots of the default district", () => {
  const r = runSensitivities(
    {
      network: generateDistrict({ seed: DEFAULT_DISTRICT_SEED }).network,
      options: DEFAULT_LIGHT_MODEL_OPTIONS,
    },
    () => {},
  );

  it("draws VTDF and LTDF at full resolution, P and Q, with a colour scale symmetric around zero", () => {
    for (const kind of ["vtdf", "ltdf"] as const) {
      for (const reactive of [false, true]) {
        const { data, blocks } = sensitivityHeatmap(r, { point: 1, kind, reactive });
        const h = data[0] as { z: number[][]; x: string[]; y: string[]; zmin: number; zmax: number };
        expect(blocks).toBe(false);
        expect(h.x).toHaveLength(r.summary.locations);
        expect(h.y).toHaveLength(kind === "vtdf" ? r.summary.monitoredBuses : r.summary.monitoredBranches);
        expect(h.zmax).toBeGreaterThan(0);
        expect(h.zmin).toBe(-h.zmax);
        const m = r.matrices[1][reactive ? (`${kind}Q` as const) : kind]!;
        expect(h.z[5][7]).toBe(m[5 * r.summary.locations + 7]);
      }
    }
    // Injecting active power raises voltages in a low-voltage grid: the VTDF is mostly positive.
    const vt = r.matrices[0].vtdf;
    expect(vt.filter((x) => x > 0).length).toBeGreaterThan(0.9 * vt.filter((x) => x !== 0).length);
  });

  it("draws one voltage profile per operating point between dashed limits", () => {
    const { data } = operatingPointProfiles(r, { vMinPu: 0.95, vMaxPu: 1.05 });
    expect(data.map((d) => d.name)).toEqual([...r.points.map((p) => p.label), "V min", "V max"]);
    const all = data[2] as { y: (number | null)[] };
    expect(Math.max(...all.y.filter((y): y is number => y !== null))).toBeCloseTo(r.points[2].vmMax, 12);
  });
});
