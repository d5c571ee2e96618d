import { describe, expect, it } from "vitest";
import type { AggregatedResult } from "@/lib/market";
import { activationState, conservationGapMw, resultRows } from "./results-view";

const result = (bidId: string, offeredMw: number, assets: number[]): AggregatedResult => {
  const activatedMw = assets.reduce((s, v) => s + v, 0);
  return {
    bidId,
    owner: "agg",
    direction: offeredMw > 0 ? "up" : "down",
    priceEurPerMwh: 50,
    offeredMw,
    activatedMw,
    fraction: activatedMw / offeredMw,
    costEur: 50 * activatedMw,
    assets: assets.map((a, k) => ({ assetId: `a${k}`, grid: "g", location: `bus:${k}`, offeredMw: offeredMw / assets.length, activatedMw: a })),
  };
};

describe("results view", () => {
  it("tells full, partial and no activation apart for upward and downward bids", () => {
    expect(activationState(0.5, 0.5)).toBe("full");
    expect(activationState(0.5, 0.2)).toBe("partial");
    expect(activationState(0.5, 0)).toBe("none");
    expect(activationState(-0.3, -0.3)).toBe("full");
    expect(activationState(-0.3, -0.1)).toBe("partial");
    expect(activationState(-0.3, 1e-12)).toBe("none");
  });

  it("lists activated bids first, largest first, and can hide the rest", () => {
    const rs = [result("none", 0.2, [0, 0]), result("small", 0.2, [0.05, 0]), result("big", 0.4, [0.2, 0.2]), result("down", -0.3, [-0.1, 0])];
    expect(resultRows(rs).map((r) => [r.result.bidId, r.state, r.activatedAssets])).toEqual([
      ["big", "full", 2],
      ["down", "partial", 1],
      ["small", "partial", 1],
      ["none", "none", 0],
    ]);
    expect(resultRows(rs, "activated").map((r) => r.result.bidId)).toEqual(["big", "down", "small"]);
  });

  it("measures conservation: the largest gap between a bid's total and the sum over its assets", () => {
    const rs = [result("a", 0.4, [0.1, 0.2]), result("b", 0.2, [0.05])];
    expect(conservationGapMw(rs)).toBe(0);
    rs[1].activatedMw += 1e-6;
    expect(conservationGapMw(rs)).toBeCloseTo(1e-6, 12);
  });
});
