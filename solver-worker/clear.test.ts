import { describe, expect, it } from "vitest";
import { prepareDso, addOperatingPoint } from "../lib/clearing";
import { DEFAULT_DISTRICT_SEED, generateDistrict } from "../lib/district";
import { defaultBids } from "../lib/market";
import { clearingModel, runClear } from "./clear";
import type { ClearStage } from "./protocol";

const net = generateDistrict({ seed: DEFAULT_DISTRICT_SEED }).network;
const { dso, lightModel } = prepareDso(net, { salt: "clear-test" });
const locOf = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
const bids = defaultBids(net, (bus) => locOf.get(bus));
const json = JSON.stringify(lightModel);

describe("clear job of the worker", () => {
  it("clears the default district's 1.8 MW like the CLI, reporting its stages", async () => {
    const stages: ClearStage[] = [];
    const r = await runClear({ requestMw: 1.8, grids: [{ gridId: "bw", lightModelJson: json, bids }], groups: [] }, (p) => stages.push(p.stage));
    expect(stages.filter((s) => s !== "load")).toEqual(["parse", "solve"]);
    expect(r.clearing.status).toBe("optimal");
    expect(Math.abs(r.clearing.totalMw - 1.8)).toBeLessThan(1e-6);
    expect(r.grids[0]).toMatchObject({ gridId: "bw", modelId: lightModel.modelId, selectedLabel: "half of the offered upward flexibility", atOperatingPoint: false });
    expect(r.grids[0].operatingPoints.map((o) => o.id)).toEqual(["op-0", "op-1", "op-2"]);
  });

  it("appends re-linearized points in order and tightens limits; refuses points out of order", () => {
    const extended = addOperatingPoint(dso, lightModel, { label: "at a dispatch", locationMw: lightModel.operatingPoints[1].pFlexMw, locationMvar: new Float64Array(lightModel.locations.length) });
    const added = JSON.stringify(extended.operatingPoints[3]);
    const m = clearingModel({ gridId: "bw", lightModelJson: json, addedOperatingPointsJson: [added], tighten: { vPu: 0.01, lPct: 5 }, bids });
    expect(m.lightModel.operatingPoints.map((o) => o.id)).toEqual(["op-0", "op-1", "op-2", "op-3"]);
    expect(m.decoded).toHaveLength(4);
    // Re-linearized where op-1 was: the same sensitivities.
    const a = m.decoded[3].vtdf;
    const b = m.decoded[1].vtdf;
    expect(a.length).toBe(b.length);
    expect(a.reduce((worst, x, i) => Math.max(worst, Math.abs(x - b[i])), 0)).toBeLessThan(1e-9);
    expect(m.lightModel.limits).toEqual({ vMinPu: 0.96, vMaxPu: 1.04, loadingMinPct: -95, loadingMaxPct: 95 });
    expect(() => clearingModel({ gridId: "bw", lightModelJson: json, addedOperatingPointsJson: [added, added], bids })).toThrow("added operating point 2 of grid bw: expected id 'op-4', got 'op-3'");
    expect(() => clearingModel({ gridId: "bw", lightModelJson: json, tighten: { vPu: -1, lPct: 0 }, bids })).toThrow(/only be tightened by non-negative amounts/);
    expect(() => clearingModel({ gridId: "bw", lightModelJson: "{", bids })).toThrow("the light model of grid bw is not valid JSON");
    expect(() => clearingModel({ gridId: "bw", lightModelJson: JSON.stringify({ ...lightModel, extra: 1 }), bids })).toThrow(/Unrecognized key: "extra"/);
  });

  it("says so when there is nothing to clear against", async () => {
    await expect(runClear({ requestMw: 1, grids: [], groups: [] }, () => {})).rejects.toThrow("no published light model to clear against");
  });
});
