import { describe, expect, it } from "vitest";
import { parseNetworkJson } from "@/lib/grid";
import { solvePowerFlow } from "@/lib/powerflow";
import { getPrisma } from "./db";
import { DEMO_ACCOUNTS, DEMO_GRIDS, DEMO_PASSWORD, ensureDemoData, SEED_STEPS, type SeedStep } from "./demo-data";
import { verifyPassword } from "./password";
import { useTestDatabase } from "./test-harness";

useTestDatabase({ fresh: true });

describe("demo data seeded on first start", () => {
  it("creates every demo account with its own salted scrypt hash of the demo password", async () => {
    const prisma = await getPrisma();
    const users = await prisma.user.findMany({ orderBy: { username: "asc" } });
    expect(users.map((u) => u.username)).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
    for (const u of users) {
      const account = DEMO_ACCOUNTS.find((a) => a.username === u.username)!;
      expect(u).toMatchObject({ displayName: account.displayName, role: account.role });
      expect(await verifyPassword(DEMO_PASSWORD, u.passwordHash)).toBe(true);
    }
    expect(new Set(users.map((u) => u.passwordHash.split("$")[4])).size).toBe(users.length);
    expect((await prisma.seedRecord.findMany()).map((r) => r.key).sort()).toEqual(SEED_STEPS.map((s) => s.key).sort());
  });

  it("seeds a generated district grid for each demo DSO", async () => {
    const prisma = await getPrisma();
    expect(DEMO_GRIDS.map((g) => [g.owner, g.name])).toEqual([
      ["dso-bergwald", "Bergwald (generated district)"],
      ["dso-rheintal", "Rheintal (generated district)"],
    ]);
    for (const g of DEMO_GRIDS) {
      const grid = await prisma.grid.findFirstOrThrow({ where: { name: g.name }, include: { owner: true } });
      expect(grid.owner.username).toBe(g.owner);
      expect(grid.owner.role).toBe("DSO");
      expect(grid.sourceFormat).toBe("generated");
      const net = parseNetworkJson(grid.networkJson);
      expect(net.buses.length).toBe(grid.busCount);
      expect(net.fpus.length).toBe(grid.fpuCount);
      expect(net.fpus.length).toBeGreaterThan(0);
      // Each unit is recorded with the demo aggregator that manages it: only it may offer the unit.
      expect(new Set(net.fpus.map((f) => f.owner))).toEqual(new Set(["agg-solarpool", "agg-evfleet", "agg-heatflex", "agg-storage"]));
      expect(net.buses.every((b) => b.lon !== undefined && b.lat !== undefined)).toBe(true);
      expect(solvePowerFlow(net).converged).toBe(true);
    }
    const [bergwald, rheintal] = await Promise.all(DEMO_GRIDS.map((g) => prisma.grid.findFirstOrThrow({ where: { name: g.name } })));
    expect(bergwald.busCount).toBeGreaterThan(rheintal.busCount);
  });

  it("runs every step once per database, so deleted demo data stays deleted", async () => {
    const prisma = await getPrisma();
    expect(await ensureDemoData(prisma)).toEqual([]);
    let runs = 0;
    const step: SeedStep = { key: "test:once", run: async () => void runs++ };
    expect(await ensureDemoData(prisma, [...SEED_STEPS, step])).toEqual(["test:once"]);
    expect(await ensureDemoData(prisma, [...SEED_STEPS, step])).toEqual([]);
    expect(runs).toBe(1);
    await prisma.user.delete({ where: { username: "agg-storage" } });
    await ensureDemoData(prisma);
    expect(await prisma.user.findUnique({ where: { username: "agg-storage" } })).toBeNull();
  });
});
