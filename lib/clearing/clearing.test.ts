import { beforeAll, describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import type { Bid } from "../market/bids";
import { defaultBids } from "../market/default-bids";
import { readSharedCase } from "../testing/shared";
import { lightModelHeader } from "../testing/light-model";
import { decodeOperatingPoints, encodeMatrix, type LightModel } from "../sensitivity/light-model";
import { checkDispatch } from "./check";
import { clearBids } from "./clear";
import type { HighsLike } from "./solve";
import { addOperatingPoint, prepareDso, restoreDso } from "./dso";
import { nodeHighs } from "./highs-node";
import { validateDispatch } from "./validate";
import { verifiedClearing } from "./verified";

let highs: HighsLike;
beforeAll(async () => {
  highs = await nodeHighs();
});

/** A hand-made light model: locations A, B; one monitored bus; one monitored branch. */
function tinyModel(points: { p: [number, number]; v: number; l: number; vtdf: [number, number]; ltdf: [number, number] }[]): LightModel {
  return {
    ...lightModelHeader("lm-test", new Date(0).toISOString()),
    locations: ["A", "B"],
    monitoredBuses: ["V1"],
    monitoredBranches: ["B1"],
    reactive: false,
    operatingPoints: points.map((pt, k) => ({
      id: `op-${k}`,
      label: `point ${k}`,
      pFlexMw: pt.p,
      qFlexMvar: [0, 0],
      v: [pt.v],
      l: [pt.l],
      vtdf: encodeMatrix(1, 2, Float64Array.from(pt.vtdf)),
      ltdf: encodeMatrix(1, 2, Float64Array.from(pt.ltdf)),
    })),
  };
}

const bid = (id: string, location: string, volumeMw: number, priceEurPerMwh: number, extra: Partial<Bid> = {}): Bid => ({
  id,
  owner: "agg",
  location,
  volumeMw,
  priceEurPerMwh,
  ...extra,
});

const activated = (r: ReturnType<typeof clearBids>, id: string) => r.dispatch.find((d) => d.bidId === id)!.activatedMw;

describe("MILP clearing (eq. 11-14) on hand-solvable instances", () => {
  // One point at zero: loading 50 % + 10 %/MW at A + 20 %/MW at B <= 100 %.
  const one = tinyModel([{ p: [0, 0], v: 1, l: 50, vtdf: [0.001, 0.001], ltdf: [10, 20] }]);

  it("moves activation to the more expensive location when the cheaper one would congest", () => {
    const bids = [bid("a", "A", 2, 50), bid("b", "B", 3, 40)];
    const r = clearBids(highs, one, bids, 3);
    // Merit order wants 3 MW at B (110 %). Optimum: 10 xA + 20 xB <= 50, xA + xB = 3 -> xB = 2, xA = 1.
    expect(r.status).toBe("optimal");
    expect(activated(r, "b")).toBeCloseTo(2, 7);
    expect(activated(r, "a")).toBeCloseTo(1, 7);
    expect(r.objectiveEur).toBeCloseTo(130, 6);
    expect(r.dispatch.find((d) => d.bidId === "a")!.state).toBe("partial");
    expect(r.dispatch.find((d) => d.bidId === "b")!.fraction).toBeCloseTo(2 / 3, 7);
  });

  it("reports an infeasible request with the largest deliverable amount", () => {
    const r = clearBids(highs, one, [bid("a", "A", 2, 50), bid("b", "B", 3, 40)], 4);
    // max xA + xB s.t. 10 xA + 20 xB <= 50, xA <= 2 -> xA = 2, xB = 1.5.
    expect(r.status).toBe("infeasible");
    expect(r.maxDeliverableMw).toBeCloseTo(3.5, 7);
    expect(r.message).toMatch(/4 MW cannot be delivered .* congest .* largest deliverable amount without congestion is 3\.500 MW/);
    const over = clearBids(highs, one, [bid("a", "A", 2, 50)], 5);
    expect(over.message).toMatch(/the bids offer only 2\.000 MW upward/);
  });

  it("respects minimum activations and indivisible bids with binaries", () => {
    // Without the minimum, b would be activated at 2 MW; with min 2.5 it must be 0 or >= 2.5.
    const r = clearBids(highs, one, [bid("a", "A", 2, 50), bid("b", "B", 3, 40, { minActivationMw: 2.5 })], 2);
    // Options: b = 0 -> a = 2 (cost 100, loading 70 %); b >= 2.5 > 2 is not possible with total 2.
    expect(activated(r, "b")).toBe(0);
    expect(activated(r, "a")).toBeCloseTo(2, 7);
    const ind = clearBids(highs, one, [bid("a", "A", 2, 50), bid("c", "A", 1, 10, { indivisible: true }), bid("b", "B", 3, 40)], 1.5);
    // c (1 MW, cheapest) is all-or-nothing: take it fully, then 0.5 MW of b.
    expect(activated(ind, "c")).toBeCloseTo(1, 9);
    expect(activated(ind, "b")).toBeCloseTo(0.5, 7);
    const ind2 = clearBids(highs, one, [bid("a", "A", 2, 50), bid("c", "A", 1, 10, { indivisible: true })], 0.5);
    expect(activated(ind2, "c")).toBe(0);
  });

  it("selects the operating point whose Voronoi cell holds the dispatch and uses its linearization", () => {
    // Point 0 at (0,0) says B costs 20 %/MW; point 1 at (0,2) says 40 %/MW with a higher base.
    // The cells split at xB = 1 (H_01 >= 0  <=>  xB <= 1).
    const two = tinyModel([
      { p: [0, 0], v: 1, l: 50, vtdf: [0, 0], ltdf: [10, 20] },
      { p: [0, 2], v: 1, l: 90, vtdf: [0, 0], ltdf: [10, 40] },
    ]);
    const bids = [bid("a", "A", 3, 50), bid("b", "B", 3, 40)];
    const r = clearBids(highs, two, bids, 2);
    // Cell 0 (xB <= 1): 10 xA + 20 xB <= 50 holds; best xB = 1, xA = 1 -> 90 €.
    // Cell 1 (xB >= 1): 90 + 10 xA + 40 (xB - 2) <= 100 with xA = 2 - xB -> 30 xB <= 90; best xB = 2, xA = 0 -> 80 €.
    expect(r.selectedOperatingPoint).toBe("op-1");
    expect(activated(r, "b")).toBeCloseTo(2, 7);
    expect(activated(r, "a")).toBeCloseTo(0, 7);
    expect(r.objectiveEur).toBeCloseTo(80, 6);
    // Forcing cell 0 by making point 1's linearization forbid xB > 1.5: then xB = 1.5 in cell 1 (60 + 25 = 85) vs 90 in cell 0.
    const tight = tinyModel([
      { p: [0, 0], v: 1, l: 50, vtdf: [0, 0], ltdf: [10, 20] },
      { p: [0, 2], v: 1, l: 110, vtdf: [0, 0], ltdf: [10, 40] },
    ]);
    const r2 = clearBids(highs, tight, bids, 2);
    // Cell 1: 110 + 10(2 - xB) + 40(xB - 2) <= 100 -> 30 xB <= 50 -> xB <= 5/3: cost 50(1/3) + 40(5/3) = 83.33.
    expect(r2.selectedOperatingPoint).toBe("op-1");
    expect(activated(r2, "b")).toBeCloseTo(5 / 3, 7);
    expect(r2.objectiveEur).toBeCloseTo(250 / 3, 6);
    // The independent check agrees: feasible at point 1, outside point 0's cell.
    const ops = decodeOperatingPoints(two);
    const y = r.dispatch.map((d) => d.activatedMw);
    expect(checkDispatch(two, ops, bids, y, 1, 2)).toMatchObject({ bounds: 0, voltagePu: 0, loadingPct: 0, voronoi: 0 });
    expect(checkDispatch(two, ops, bids, y, 0, 2).voronoi).toBeGreaterThan(0.5);
  });

  it("is deterministic", () => {
    const bids = [bid("a", "A", 2, 50), bid("b", "B", 3, 40), bid("c", "A", 1, 40)];
    const a = clearBids(highs, one, bids, 2.5);
    const b = clearBids(highs, one, bids, 2.5);
    expect(a.dispatch).toEqual(b.dispatch);
  });

  it("rejects bids at unknown locations and impossible requests clearly", () => {
    expect(() => clearBids(highs, one, [bid("a", "Z", 1, 1)], 1)).toThrow(/unknown location 'Z'/);
    expect(() => clearBids(highs, one, [], 1)).toThrow(/no bids/);
    expect(() => clearBids(highs, one, [bid("a", "A", 1, 1)], Number.NaN)).toThrow(/must be a number/);
  });
});

describe("clearing on a real feeder (case33bw with demand-response bids)", () => {
  const net = parseMatpowerCase(readSharedCase("case33bw"));
  net.branches.forEach((b) => (b.rateAMva = 4)); // give the feeder ratings so loadings count
  const { dso, lightModel } = prepareDso(net, { salt: "test", limits: { vMinPu: 0.9 } });
  const byBus = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
  const bids = defaultBids(net, (b) => byBus.get(b));
  const ops = decodeOperatingPoints(lightModel);

  it("clears, satisfies every constraint of its point, and screening changes nothing", () => {
    const r = clearBids(highs, lightModel, bids, 1.5, { decoded: ops });
    expect(r.status).toBe("optimal");
    expect(Math.abs(r.totalMw - 1.5)).toBeLessThan(1e-6);
    const y = r.dispatch.map((d) => d.activatedMw);
    const check = checkDispatch(lightModel, ops, bids, y, r.selectedIndex, 1.5, { reactive: r.stats.reactive });
    // HiGHS's feasibility tolerance is 1e-7 on scaled rows.
    expect(check.voltagePu).toBeLessThan(1e-7);
    expect(check.loadingPct).toBeLessThan(1e-5);
    expect(check.voronoi).toBeLessThan(1e-6);
    const unscreened = clearBids(highs, lightModel, bids, 1.5, { decoded: ops, screen: false });
    expect(unscreened.objectiveEur!).toBeCloseTo(r.objectiveEur!, 6);
    expect(r.stats.limitRowsScreened).toBeGreaterThan(0);
  });

  it("validation reports the AC power flow against the prediction; the AC-verified loop shrinks the error", () => {
    const r = clearBids(highs, lightModel, bids, 1.5, { decoded: ops });
    const v = validateDispatch(net, dso.key, lightModel, ops, r);
    expect(v.converged).toBe(true);
    expect(v.violations).toEqual([]);
    const verified = verifiedClearing(highs, { ...dso, model: { ...dso.model, points: [...dso.model.points] } }, lightModel, bids, 1.5);
    expect(verified.verified).toBe(true);
    expect(verified.iterations).toBeGreaterThan(1);
    expect(verified.validation!.vMaePu).toBeLessThan(v.vMaePu / 10);
    expect(verified.lightModel.operatingPoints.length).toBe(lightModel.operatingPoints.length + verified.iterations - 1);
  });

  it("a restored DSO context re-linearizes exactly like the original one", () => {
    const fresh = prepareDso(net, { salt: "restore" });
    const restored = restoreDso(net, fresh.dso.key, fresh.lightModel);
    const spec = { label: "x", locationMw: new Float64Array(fresh.lightModel.locations.length).fill(0.01), locationMvar: new Float64Array(fresh.lightModel.locations.length) };
    const a = addOperatingPoint(fresh.dso, fresh.lightModel, spec).operatingPoints.at(-1)!;
    const b = addOperatingPoint(restored, fresh.lightModel, spec).operatingPoints.at(-1)!;
    expect(b).toEqual(a);
  });
});
