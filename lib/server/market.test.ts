import { describe, expect, it } from "vitest";
import { clearMarket } from "@/lib/clearing";
import { nodeHighs } from "@/lib/clearing/highs-node";
import { parseLightModel } from "@/lib/sensitivity/light-model";
import { reaggregate } from "@/lib/market";
import { getPrisma } from "./db";
import { allAggregatedBids, marketBids, publishedDsoSides, publishedLightModels, registriesOf, storePortfolio } from "./market";
import { useTestDatabase } from "./test-harness";

useTestDatabase();

describe("market data seeded for the demo", () => {
  it("publishes a light model per demo grid, in demo mode, readable as the schema says", async () => {
    const prisma = await getPrisma();
    const published = await publishedLightModels(prisma);
    expect(published.map((p) => p.gridName)).toEqual(["Bergwald (generated district)", "Rheintal (generated district)"]);
    for (const p of published) {
      expect(() => parseLightModel(p.model)).not.toThrow();
      expect(p.model.operatingPoints.map((o) => o.label)).toEqual([
        "no flexibility activated",
        "half of the offered upward flexibility",
        "all offered upward flexibility",
      ]);
    }
    expect((await prisma.grid.findMany({ select: { demoMode: true } })).every((g) => g.demoMode)).toBe(true);
  });

  it("seeds each demo aggregator's portfolio and they clear 1.8 MW through the BCM, conserving volumes", async () => {
    const prisma = await getPrisma();
    const aggregated = await allAggregatedBids(prisma);
    expect(new Set(aggregated.map((b) => b.owner))).toEqual(new Set(["agg-solarpool", "agg-evfleet", "agg-heatflex", "agg-storage"]));
    const sides = await publishedDsoSides(prisma);
    const m = marketBids(aggregated, sides);
    expect(m.grids.every((g) => g.bids.length > 0)).toBe(true);
    const highs = await nodeHighs();
    const r = clearMarket(
      highs,
      m.grids.map((g, k) => ({ gridId: g.gridId, lightModel: sides[k].model, bids: g.bids })),
      1.8,
      { groups: m.groups },
    );
    expect(r.status).toBe("optimal");
    const res = reaggregate(aggregated, m.dis, r.dispatch);
    expect(Math.abs(res.reduce((s, x) => s + x.activatedMw, 0) - 1.8)).toBeLessThan(1e-9);
  });

  it("refuses portfolios with someone else's bids, taken ids or unknown assets, and writes nothing", async () => {
    const prisma = await getPrisma();
    const registries = registriesOf(await publishedDsoSides(prisma));
    const me = await prisma.user.findUniqueOrThrow({ where: { username: "agg-evfleet" }, select: { id: true, username: true } });
    const before = await prisma.bidPortfolio.count();
    const bid = (over: object) => [{ id: "new-1", owner: "agg-evfleet", direction: "up" as const, volumeMw: 0.001, priceEurPerMwh: 50, assets: [{ assetId: "x", grid: "Bergwald (generated district)", location: "bus:99999" }], ...over }];
    await expect(storePortfolio(prisma, me, bid({ owner: "agg-storage" }), { name: "x", fileName: null }, registries)).rejects.toThrow(/is not you/);
    const taken = (await allAggregatedBids(prisma))[0].id;
    await expect(storePortfolio(prisma, me, bid({ id: taken }), { name: "x", fileName: null }, registries)).rejects.toThrow(/already used/);
    await expect(storePortfolio(prisma, me, bid({}), { name: "x", fileName: null }, registries)).rejects.toThrow(/bus 99999 .* not a flexibility location/);
    expect(await prisma.bidPortfolio.count()).toBe(before);
  });
});
