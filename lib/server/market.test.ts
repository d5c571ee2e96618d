import { describe, expect, it } from "vitest";
import { clearMarket } from "@/lib/clearing";
import { nodeHighs } from "@/lib/clearing/highs-node";
import { parseLightModel } from "@/lib/sensitivity/light-model";
import { reaggregate } from "@/lib/market";
import { getPrisma } from "./db";
import { publishedDsoSides, publishedLightModels, registriesOf } from "./market";
import { marketNow } from "./market-now";
import { storePortfolio } from "./portfolio-store";
import { useTestDatabase } from "./test-harness";

useTestDatabase();

describe("market data seeded for the demo", () => {
  it("publishes a light model per demo grid, in demo mode, readable as the schema says", async () => {
    const prisma = await getPrisma();
    const published = await publishedLightModels(prisma);
    expect(published.map((p) => p.gridName)).toEqual(["Bergwald (generated district)", "Rheintal (generated district)"]);
    for (const p of published) {
      expect(() => parseLightModel(p.model)).not.toThrow();
      expect(p.model.operatingPoints.map((o) => o.label)).toEqual(["no flexibility activated", "half of the offered upward flexibility", "all offered upward flexibility"]);
    }
    expect((await prisma.grid.findMany({ select: { demoMode: true } })).every((g) => g.demoMode)).toBe(true);
  });

  it("seeds each demo aggregator's portfolio and they clear 1.8 MW through the BCM, conserving volumes", async () => {
    const prisma = await getPrisma();
    const sides = await publishedDsoSides(prisma);
    const m = (await marketNow(prisma)).market;
    expect(m.skipped).toEqual([]);
    const aggregated = m.aggregated;
    expect(new Set(aggregated.map((b) => b.owner))).toEqual(new Set(["agg-solarpool", "agg-evfleet", "agg-heatflex", "agg-storage"]));
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

  it("refuses portfolios with someone else's bids, taken ids, units not their own or over capacity, and writes nothing", async () => {
    const prisma = await getPrisma();
    const sides = await publishedDsoSides(prisma);
    const bergwald = sides.find((s) => s.gridName === "Bergwald (generated district)")!;
    const ev = bergwald.network.fpus.find((f) => f.owner === "agg-evfleet" && f.pMw < 0)!;
    const pv = bergwald.network.fpus.find((f) => f.owner === "agg-solarpool")!;
    const me = await prisma.user.findUniqueOrThrow({ where: { username: "agg-evfleet" }, select: { id: true, username: true } });
    const before = await prisma.bidPortfolio.count();
    const bid = (over: object, assetId = ev.id) => [
      { id: "new-1", owner: "agg-evfleet", direction: "up" as const, volumeMw: 0.001, priceEurPerMwh: 50, assets: [{ assetId, grid: "Bergwald (generated district)" }], ...over },
    ];
    const store = (bids: ReturnType<typeof bid>) => storePortfolio(prisma, me, bids, { name: "x", fileName: null }, registriesOf(sides));
    await expect(store(bid({ owner: "agg-storage" }))).rejects.toThrow(/is not you/);
    const taken = (await marketNow(prisma)).market.aggregated[0].id;
    await expect(store(bid({ id: taken }))).rejects.toThrow(/already used/);
    await expect(store(bid({}, pv.id))).rejects.toThrow(`asset ${pv.id}: not one of your units in Bergwald (generated district)`);
    await expect(store(bid({}))).rejects.toThrow(
      new RegExp(`unit ${ev.id} in Bergwald \\(generated district\\): 0\\.001000 MW upward in this file and [0-9.]+ MW in your stored portfolios exceed what the unit offers`),
    );
    expect(await prisma.bidPortfolio.count()).toBe(before);
  });
});
