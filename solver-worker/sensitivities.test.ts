import { describe, expect, it } from "vitest";
import { DEFAULT_DISTRICT_SEED, generateDistrict } from "../lib/district";
import { parseGridFile, writeNetworkJson } from "../lib/grid";
import { computeSensitivities, describeLightModel, flexLocations, parseLightModel, presetOperatingPoints, type LightModelKey } from "../lib/sensitivity";
import { readSharedCase } from "../lib/testing/shared";
import { DEFAULT_LIGHT_MODEL_OPTIONS as DEFAULTS, type LightModelOptions, type SensitivitiesStage } from "./protocol";
import { operatingPointSpecs, runSensitivities } from "./sensitivities";

const CASE33 = writeNetworkJson(parseGridFile("case33bw.m", readSharedCase("case33bw")));
const district = generateDistrict({ seed: DEFAULT_DISTRICT_SEED }).network;

describe("sensitivities job of the worker", () => {
  it("computes the default district's light model: three points, P and Q, every element monitored, with progress", () => {
    const stages: SensitivitiesStage[] = [];
    const fractions: number[] = [];
    const r = runSensitivities({ network: district, options: DEFAULTS }, (p) => {
      stages.push(p.stage);
      fractions.push(p.fraction);
    });
    expect([...new Set(stages)]).toEqual(["parse", "power-flow", "sensitivities", "light-model"]);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(r.failure).toBeNull();
    expect(r.points.map((p) => [p.id, p.converged])).toEqual([
      ["none", true],
      ["half", true],
      ["all", true],
    ]);
    expect(r.points[2].maxLoadingPct!).toBeGreaterThan(100); // all offered flexibility congests the district
    expect(r.points[1].flexMw).toBeCloseTo(r.points[2].flexMw / 2, 9);
    expect(r.summary.monitoredBuses).toBe(r.summary.candidateBuses);
    expect(r.summary.monitoredBranches).toBe(r.summary.candidateBranches);

    // The matrices are the core's, in the DSO's order.
    const locs = flexLocations(district);
    const ref = computeSensitivities(district, locs, presetOperatingPoints(locs, ["none", "half", "all"]), { reactive: true });
    expect([...r.locationBusIds]).toEqual(locs.map((l) => l.bus));
    expect([...r.monitoredBusIds]).toEqual(ref.monitoredBuses);
    expect(r.monitoredBranchIds).toEqual(ref.monitoredBranches);
    expect(r.matrices[1].vtdf).toEqual(ref.points[1].vtdf);
    expect(r.matrices[2].ltdfQ).toEqual(ref.points[2].ltdfQ);
    expect(r.profiles.vmPu[0]).toEqual(ref.points[0].pf.vm);

    // The light model is what the strict schema accepts; the key maps exactly its ids.
    const lm = parseLightModel(JSON.parse(r.lightModel!.json));
    const key = JSON.parse(r.lightModel!.keyJson) as LightModelKey;
    expect(lm.modelId).toBe(r.lightModel!.modelId);
    expect(key.modelId).toBe(lm.modelId);
    expect(key.locations.map((l) => l.id)).toEqual(lm.locations);
    expect(key.buses.map((b) => b.id)).toEqual(lm.monitoredBuses);
    expect(lm.reactive).toBe(true);
    expect(lm.limits).toEqual({ vMinPu: 0.95, vMaxPu: 1.05, loadingMinPct: -100, loadingMaxPct: 100 });
    expect(r.lightModel!.sizeBytes).toBe(Buffer.byteLength(r.lightModel!.json));
    expect(r.lightModel!.boundary).toEqual(describeLightModel(lm));
    // Opaque: no bus number or branch id of the grid in the light model's text.
    expect(r.lightModel!.json).not.toMatch(/"bus-\d+"|lv-S\d|"S\d+-/);
  });

  it("shares less when asked: near-limit and screened monitoring keep subsets of the elements", () => {
    const near = runSensitivities({ network: district, options: { ...DEFAULTS, reactive: false, monitor: "near-limits" } }, () => {});
    const screen = runSensitivities({ network: district, options: { ...DEFAULTS, reactive: false, monitor: "screen" } }, () => {});
    for (const r of [near, screen]) {
      expect(r.failure).toBeNull();
      expect(r.summary.monitoredBranches).toBeGreaterThan(0);
      expect(r.summary.monitoredBranches + r.summary.monitoredBuses).toBeLessThan(r.summary.candidateBranches + r.summary.candidateBuses);
      expect(r.matrices[0].vtdfQ).toBeNull();
      expect(parseLightModel(JSON.parse(r.lightModel!.json)).monitoredBranches).toHaveLength(r.summary.monitoredBranches);
    }
  });

  it("adds custom points as a uniform fraction of each location's offer, and refuses fractions outside [-1, 1]", () => {
    const locs = flexLocations(district);
    const specs = operatingPointSpecs(locs, { presets: ["none"], custom: [{ fraction: 0.25 }, { fraction: -0.5 }] });
    expect(specs.map((s) => s.id)).toEqual(["none", "custom-1", "custom-2"]);
    expect(specs[1].label).toBe("25 % of each location's upward offer");
    expect([...specs[1].pFlexMw]).toEqual(locs.map((l) => 0.25 * l.offeredUpMw));
    expect([...specs[2].pFlexMw]).toEqual(locs.map((l) => 0.5 * l.offeredDownMw));
    expect(() => operatingPointSpecs(locs, { presets: [], custom: [{ fraction: 1.5 }] })).toThrow(/custom operating point 1: the fraction must lie between -1 .* got 1.5/);
    expect(() => operatingPointSpecs(locs, { presets: ["most"], custom: [] })).toThrow(/unknown operating point 'most'/);
    expect(() => operatingPointSpecs(locs, { presets: [], custom: [] })).toThrow("choose at least one operating point");
    expect(() => operatingPointSpecs(locs, { presets: ["half", "half"], custom: [] })).toThrow("operating point 'half' is chosen twice");
  });

  it("names bad limits and an unparsable network", () => {
    const bad = (o: Partial<LightModelOptions>) => () => runSensitivities({ network: CASE33, options: { ...DEFAULTS, ...o } }, () => {});
    expect(bad({ limits: { vMinPu: 1.05, vMaxPu: 0.95, loadingMaxPct: 100 } })).toThrow(/voltage limits must satisfy min < max/);
    expect(bad({ limits: { vMinPu: 0.95, vMaxPu: 1.05, loadingMaxPct: 0 } })).toThrow(/loading limit must be positive/);
    expect(() => runSensitivities({ network: "{", options: DEFAULTS }, () => {})).toThrow(/^not valid JSON/);
  });

  it("builds no light model when an operating point does not converge, and says which", () => {
    // case33bw's loads are its flexibility; five times the load is beyond what the feeder can carry.
    const net = parseGridFile("case33bw.m", readSharedCase("case33bw"));
    const heavy = { ...net, buses: net.buses.map((b) => ({ ...b, pdMw: 5 * b.pdMw, qdMvar: 5 * b.qdMvar })) };
    const r = runSensitivities({ network: heavy, options: { ...DEFAULTS, presets: ["half", "all-down"] } }, () => {});
    expect(r.points.map((p) => p.converged)).toEqual([true, false]);
    expect(r.lightModel).toBeNull();
    expect(r.failure).toMatch(/^the AC power flow did not converge at 'all offered downward flexibility' \(.+\); a light model needs every operating point$/);
  });
});
