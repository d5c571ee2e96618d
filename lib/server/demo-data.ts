import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { DEFAULT_DISTRICT_SEED, generateDistrict } from "@/lib/district";
import { prepareDso } from "@/lib/clearing/dso";
import { parseNetworkJson, writeNetworkJson, type Network } from "@/lib/grid";
import { assignDemoOwners, demoPortfolios, DEMO_AGGREGATORS, type AggregatedBid } from "@/lib/market";
import { storeNetwork } from "./grids";
import { publishedDsoSides, publishLightModel, registriesOf, storeLightModel } from "./market";
import { storePortfolio } from "./portfolio-store";
import { hashPassword } from "./password";
import type { Role } from "@/lib/wire/roles";

/** Password of every demo account (README, "Demo accounts"); the accounts exist only in demo mode. */
export const DEMO_PASSWORD = "flexdemo";

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: "tso", displayName: "TransGrid TSO", role: "TSO" },
  { username: "dso-bergwald", displayName: "Stadtwerke Bergwald (DSO)", role: "DSO" },
  { username: "dso-rheintal", displayName: "Rheintal Netz (DSO)", role: "DSO" },
  { username: "agg-solarpool", displayName: "SolarPool GmbH", role: "AGGREGATOR" },
  { username: "agg-evfleet", displayName: "EV Fleet Flex", role: "AGGREGATOR" },
  { username: "agg-heatflex", displayName: "HeatFlex Energie", role: "AGGREGATOR" },
  { username: "agg-storage", displayName: "StorageCo", role: "AGGREGATOR" },
  { username: "admin", displayName: "Platform administrator", role: "ADMIN" },
];

export interface DemoGrid {
  /** Username of the owning DSO. */
  owner: string;
  name: string;
  build: () => Network;
}

/**
 * Grids seeded for the demo DSOs: generated districts (lib/district), one per DSO, each
 * unit recorded with the demo aggregator that manages it (lib/market assignDemoOwners).
 */
export const DEMO_GRIDS: readonly DemoGrid[] = [
  { owner: "dso-bergwald", name: "Bergwald (generated district)", build: () => assignDemoOwners(generateDistrict({ seed: DEFAULT_DISTRICT_SEED }).network) },
  { owner: "dso-rheintal", name: "Rheintal (generated district)", build: () => assignDemoOwners(generateDistrict({ seed: 7, buildings: 120 }).network) },
];

/**
 * One seeding step. Each runs once per database (recorded in SeedRecord under its key),
 * so a grid a DSO deleted stays deleted, and steps added by later releases still run
 * on existing databases. Append steps; never rename a key.
 */
export interface SeedStep {
  key: string;
  run: (prisma: PrismaClient) => Promise<void>;
}

async function createAccounts(prisma: PrismaClient): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    if (await prisma.user.findUnique({ where: { username: account.username }, select: { id: true } })) continue;
    await prisma.user.create({ data: { id: randomUUID(), ...account, passwordHash: await hashPassword(DEMO_PASSWORD) } });
  }
}

function gridStep(grid: DemoGrid): SeedStep {
  return {
    key: `grid:${grid.owner}:${grid.name}`,
    run: async (prisma) => {
      const owner = await prisma.user.findUniqueOrThrow({ where: { username: grid.owner } });
      await storeNetwork(prisma, owner.id, grid.build(), { name: grid.name, sourceFormat: "generated", fileName: null });
    },
  };
}

/**
 * The demo DSOs compute and publish a light model of their grid (three operating
 * points, P and Q) and let the TSO see it on the map (demo mode).
 */
async function publishDemoLightModels(prisma: PrismaClient): Promise<void> {
  for (const grid of DEMO_GRIDS) {
    const row = await prisma.grid.findFirst({ where: { name: grid.name, owner: { username: grid.owner } }, select: { id: true, networkJson: true } });
    if (!row) continue; // the DSO deleted it
    const { dso, lightModel } = prepareDso(parseNetworkJson(row.networkJson));
    const stored = await storeLightModel(prisma, row.id, lightModel, dso.key);
    await publishLightModel(prisma, row.id, stored.id);
    await prisma.grid.update({ where: { id: row.id }, data: { demoMode: true } });
  }
}

/**
 * The demo grids of databases seeded before units carried their aggregator: each unit
 * is recorded with the demo aggregator that manages it (the same assignment the demo
 * portfolios use). Grids a DSO uploaded are left alone.
 */
async function recordDemoUnitOwners(prisma: PrismaClient): Promise<void> {
  for (const grid of DEMO_GRIDS) {
    const row = await prisma.grid.findFirst({ where: { name: grid.name, owner: { username: grid.owner }, sourceFormat: "generated" }, select: { id: true, networkJson: true } });
    if (!row) continue;
    await prisma.grid.update({ where: { id: row.id }, data: { networkJson: writeNetworkJson(assignDemoOwners(parseNetworkJson(row.networkJson))) } });
  }
}

/**
 * Each demo aggregator's portfolio over the units it manages in the demo grids: per
 * neighbourhood and kind, an upward and a downward bid (lib/market/bcm.ts), stored
 * through the same checks as an upload. Demo portfolios stored before those checks
 * (version 1) are replaced.
 */
async function seedDemoPortfolios(prisma: PrismaClient): Promise<void> {
  await prisma.bidPortfolio.deleteMany({ where: { version: 1, name: "Demo portfolio", owner: { username: { in: [...DEMO_AGGREGATORS] } } } });
  const sides = await publishedDsoSides(prisma);
  const byOwner = new Map<string, AggregatedBid[]>();
  sides.forEach((side, k) => {
    const tag = ["bw", "rt", "g3", "g4"][k] ?? `g${k + 1}`;
    for (const bid of demoPortfolios(side.gridId, side.network)) {
      const list = byOwner.get(bid.owner) ?? [];
      list.push({ ...bid, id: `${tag}-${bid.id}` });
      byOwner.set(bid.owner, list);
    }
  });
  for (const [username, bids] of byOwner) {
    const owner = await prisma.user.findUnique({ where: { username }, select: { id: true, username: true } });
    if (!owner) continue;
    await storePortfolio(prisma, owner, bids, { name: "Demo portfolio", fileName: null }, registriesOf(sides));
  }
}

export const SEED_STEPS: readonly SeedStep[] = [
  { key: "accounts:v1", run: createAccounts },
  ...DEMO_GRIDS.map(gridStep),
  { key: "unit-owners:v1", run: recordDemoUnitOwners },
  { key: "light-models:v1", run: publishDemoLightModels },
  { key: "accounts:v2", run: createAccounts },
  // v1 stored unchecked portfolios that referenced grids by name; v2 replaces them.
  { key: "portfolios:v2", run: seedDemoPortfolios },
];

/** Run the seeding steps this database has not seen yet; returns their keys. */
export async function ensureDemoData(prisma: PrismaClient, steps: readonly SeedStep[] = SEED_STEPS): Promise<string[]> {
  const done = new Set((await prisma.seedRecord.findMany({ select: { key: true } })).map((r) => r.key));
  const ran: string[] = [];
  for (const step of steps) {
    if (done.has(step.key)) continue;
    await step.run(prisma);
    await prisma.seedRecord.create({ data: { key: step.key } });
    ran.push(step.key);
  }
  return ran;
}
