import { beforeAll, describe, expect, it } from "vitest";
import { generateDistrict } from "../district";
import { defaultBids } from "../market";
import { decodeOperatingPoints } from "../sensitivity";
import { clearBids } from "./clear";
import type { HighsLike } from "./solve";
import { prepareDso } from "./dso";
import { nodeHighs } from "./highs-node";
import { validateDispatch } from "./validate";
import { verifiedClearing } from "./verified";

let highs: HighsLike;
beforeAll(async () => {
  highs = await nodeHighs();
});

/**
 * [P004]'s case study on the default district: the TSO requests
 * 1.8 MW; three operating points (none, half, all); limits 0.95/1.05 p.u. and
 * ±100 %. [P004] Table I reports, against the AC power flow, a voltage MAE of 2.3e-5 p.u.
 * and a loading MAE of 6.1e-3 %; we require at least that, and ten times better
 * from the AC-verified clearing.
 */
describe("default district: the paper's 1.8 MW case", () => {
  const net = generateDistrict().network;
  const fresh = () => prepareDso(net, { salt: "table-1" });

  it("clears 1.8 MW without congestion and within the paper's Table I errors", () => {
    const { dso, lightModel } = fresh();
    const byBus = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
    const bids = defaultBids(net, (b) => byBus.get(b));
    const ops = decodeOperatingPoints(lightModel);
    const r = clearBids(highs, lightModel, bids, 1.8, { decoded: ops });
    expect(r.status).toBe("optimal");
    expect(Math.abs(r.totalMw - 1.8)).toBeLessThan(1e-6);
    const v = validateDispatch(net, dso.key, lightModel, ops, r);
    expect(v.converged).toBe(true);
    expect(v.violations).toEqual([]);
    expect(v.vMaePu).toBeLessThanOrEqual(2.3e-5);
    expect(v.lMaePct).toBeLessThanOrEqual(6.1e-3);
    // Activating every upward bid instead congests the grid (the reason for clearing).
    const everything = validateDispatch(net, dso.key, lightModel, ops, {
      ...r,
      locationMw: Float64Array.from(dso.key.locations, (l) => dso.locations.find((x) => x.bus === l.bus)!.offeredUpMw),
      locationMvar: new Float64Array(dso.key.locations.length),
    });
    expect(everything.violations.some((x) => x.kind === "loading")).toBe(true);
  });

  it("AC-verified clearing is at least ten times more accurate", () => {
    const { dso, lightModel } = fresh();
    const byBus = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
    const vr = verifiedClearing(
      highs,
      dso,
      lightModel,
      defaultBids(net, (b) => byBus.get(b)),
      1.8,
    );
    expect(vr.verified).toBe(true);
    expect(vr.clearing.status).toBe("optimal");
    expect(vr.validation!.violations).toEqual([]);
    expect(vr.validation!.vMaePu).toBeLessThanOrEqual(2.3e-6);
    expect(vr.validation!.lMaePct).toBeLessThanOrEqual(6.1e-4);
  });

  it("an over-large request is refused with the largest deliverable amount", () => {
    const { dso, lightModel } = fresh();
    const byBus = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
    const bids = defaultBids(net, (b) => byBus.get(b));
    const offered = bids.reduce((s, b) => s + Math.max(0, b.volumeMw), 0);
    const r = clearBids(highs, lightModel, bids, offered);
    expect(r.status).toBe("infeasible");
    expect(r.maxDeliverableMw!).toBeGreaterThan(1.8);
    expect(r.maxDeliverableMw!).toBeLessThan(offered);
    expect(r.message).toMatch(/cannot be delivered — activating more would congest the distribution grid .* largest deliverable amount without congestion is \d+\.\d{3} MW/);
    // The largest deliverable amount itself clears.
    const atMax = clearBids(highs, lightModel, bids, r.maxDeliverableMw! - 1e-6);
    expect(atMax.status).toBe("optimal");
  });
});
