import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { createPostgresDatabase, dropPostgresDatabase } from "@/lib/server/test-harness";
import { migrationsDir, openDatabase, openPostgres, type PrismaClient } from "./client";
import { MIGRATIONS_TABLE, readMigrations } from "./migrate";

// A fresh database built only from the SQL migrations, used through the generated client:
// if the SQL and schema.prisma drift apart, these tests fail. SQLite from prisma/migrations;
// PostgreSQL from prisma/migrations-pg when DATABASE_URL names a server (scripts/with-postgres.sh).
const PG_ADMIN = process.env.FLEXPLAT_TEST_PG_ADMIN_URL ?? process.env.DATABASE_URL;
const dialect = PG_ADMIN ? "postgresql" : "sqlite";
let dir: string;
let file: string;
let pgUrl: string;
const pgName = `flexplat_schema_${process.pid}`;
let prisma: PrismaClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flexplat-db-"));
  file = join(dir, "test.db");
  if (PG_ADMIN) pgUrl = await createPostgresDatabase(PG_ADMIN, pgName);
  const opened = PG_ADMIN ? await openPostgres(pgUrl) : await openDatabase(file);
  prisma = opened.prisma;
  expect(opened.report.applied).toEqual(readMigrations(migrationsDir(dialect)).map((m) => m.name));
});
afterAll(async () => {
  await prisma?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  if (PG_ADMIN) await dropPostgresDatabase(PG_ADMIN, pgName);
});

/** Table → its column names, as the database has them. */
async function tableColumns(): Promise<Map<string, string[]>> {
  if (PG_ADMIN) {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      const rows = (await client.query<{ t: string; c: string }>(`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()`)).rows;
      const out = new Map<string, string[]>();
      for (const r of rows) out.set(r.t, [...(out.get(r.t) ?? []), r.c]);
      return out;
    } finally {
      await client.end();
    }
  }
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    return new Map(tables.map((t) => [t, (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name)]));
  } finally {
    db.close();
  }
}

/** An account, its session and grid, and the grid's runs, light model, region and layout. */
async function storeDsoRecords(): Promise<void> {
  const user = await prisma.user.create({
    data: { id: "u1", username: "dso-test", displayName: "Test DSO", role: "DSO", passwordHash: "scrypt$x" },
  });
  expect(user.createdAt).toBeInstanceOf(Date);
  await expect(prisma.user.create({ data: { id: "u2", username: "dso-test", displayName: "dup", role: "DSO", passwordHash: "x" } })).rejects.toThrow(/Unique constraint/);

  const expiresAt = new Date(Date.now() + 3600_000);
  await prisma.session.create({ data: { id: "s1", userId: user.id, expiresAt } });
  const session = await prisma.session.findUniqueOrThrow({ where: { id: "s1" }, include: { user: true } });
  expect(session.user.username).toBe("dso-test");
  expect(session.expiresAt.getTime()).toBe(expiresAt.getTime());

  const grid = await prisma.grid.create({
    data: { id: "g1", ownerId: user.id, name: "Feeder", sourceFormat: "matpower", fileName: null, busCount: 3, branchCount: 2, fpuCount: 0, networkJson: "{}" },
  });
  expect(grid.fileName).toBeNull();
  await prisma.grid.update({ where: { id: "g1" }, data: { name: "Feeder A" } });

  await prisma.powerFlowRun.create({
    data: {
      id: "r1",
      gridId: grid.id,
      userId: user.id,
      status: "converged",
      converged: true,
      iterations: 4,
      vmMinPu: 0.913,
      vmMinBusId: 18,
      lossPMw: 0.2027,
      lossQMvar: 0.135,
      maxLoadingPct: null,
      solveMs: 1.5,
    },
  });
  const runs = await prisma.powerFlowRun.findMany({ where: { gridId: "g1" }, include: { grid: true, user: true } });
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ converged: true, iterations: 4, vmMinBusId: 18, maxLoadingPct: null, grid: { name: "Feeder A" }, user: { id: "u1" } });

  expect(grid.demoMode).toBe(false);
  const lm = await prisma.lightModel.create({
    data: { id: "lm1", gridId: grid.id, modelJson: "{}", keyJson: "{}", operatingPoints: 3, locations: 32, monitoredBuses: 32, monitoredBranches: 0, reactive: true, sizeBytes: 1234 },
  });
  expect(lm).toMatchObject({ published: false, publishedAt: null });
  await prisma.lightModel.update({ where: { id: "lm1" }, data: { published: true, publishedAt: new Date() } });
  expect((await prisma.grid.findUniqueOrThrow({ where: { id: "g1" }, include: { lightModels: true } })).lightModels[0].published).toBe(true);

  const region = await prisma.flexRegion.create({ data: { id: "fr1", gridId: grid.id, kind: "pq", method: "slc", regionJson: "{}", size: 2.5 } });
  expect(region).toMatchObject({ published: false, publishedAt: null, kind: "pq" });
  await prisma.flexRegion.update({ where: { id: "fr1" }, data: { published: true, publishedAt: new Date() } });
  expect((await prisma.grid.findUniqueOrThrow({ where: { id: "g1" }, include: { regions: true } })).regions[0]).toMatchObject({ method: "slc", published: true, size: 2.5 });

  await prisma.grid.update({ where: { id: "g1" }, data: { publishedName: "feeder a" } });
  await expect(
    prisma.grid.create({ data: { id: "g3", ownerId: user.id, name: "FEEDER A", publishedName: "feeder a", sourceFormat: "json", busCount: 1, branchCount: 0, fpuCount: 0, networkJson: "{}" } }),
  ).rejects.toThrow(/Unique constraint/);

  await prisma.gridLayout.create({ data: { gridId: grid.id, layoutJson: "{}", algorithm: "tidy-tree", busCount: 3, crossings: 0 } });
  const layout = await prisma.gridLayout.update({ where: { gridId: "g1" }, data: { movedBuses: 1 }, include: { grid: true } });
  expect(layout).toMatchObject({ movedBuses: 1, grid: { name: "Feeder A" } });
  expect(layout.updatedAt.getTime()).toBeGreaterThanOrEqual(layout.createdAt.getTime());
  await expect(prisma.gridLayout.create({ data: { gridId: "g1", layoutJson: "{}", algorithm: "force", busCount: 3, crossings: 0 } })).rejects.toThrow(/Unique constraint/);
}

/** An aggregator's portfolio with its bids and assets, and a BCM run. */
async function storeMarketRecords(): Promise<void> {
  const agg = await prisma.user.create({ data: { id: "u3", username: "agg-test", displayName: "Agg", role: "AGGREGATOR", passwordHash: "x", passwordChangedAt: new Date() } });
  expect(agg.passwordChangedAt).toBeInstanceOf(Date);
  const portfolio = await prisma.bidPortfolio.create({ data: { id: "p1", ownerId: agg.id, name: "pool", fileName: "pool.csv", bidsJson: "[]", bidCount: 0 } });
  expect(portfolio.version).toBe(1);
  await prisma.portfolioBid.create({ data: { id: "pool-1", portfolioId: "p1", tsoGroupId: "G-1" } });
  await prisma.assetBid.create({ data: { id: "pool-1/ev-1", bidId: "pool-1", portfolioId: "p1", gridId: "g1", unitId: "ev-1", volumeMw: 0.011, tsoId: "X-1" } });
  await expect(prisma.portfolioBid.create({ data: { id: "pool-1", portfolioId: "p1" } })).rejects.toThrow(/Unique constraint/);
  await expect(prisma.assetBid.create({ data: { id: "pool-1/ev-2", bidId: "pool-1", portfolioId: "p1", gridId: "g1", unitId: "ev-2", volumeMw: 0.01, tsoId: "X-1" } })).rejects.toThrow(
    /Unique constraint/,
  );
  expect(await prisma.bidPortfolio.findUniqueOrThrow({ where: { id: "p1" }, include: { bids: { include: { assets: true } } } })).toMatchObject({
    bids: [{ id: "pool-1", tsoGroupId: "G-1", assets: [{ unitId: "ev-1", volumeMw: 0.011 }] }],
  });
  await prisma.clearingRun.create({
    data: { id: "c1", kind: "bcm", createdById: agg.id, requestMw: 1.8, status: "optimal", totalMw: 1.8, objectiveEur: 120.5, resultJson: "{}" },
  });
  expect(await prisma.clearingRun.findMany({ where: { kind: "bcm" }, include: { createdBy: true } })).toMatchObject([{ verified: false, createdBy: { username: "agg-test" } }]);
}

/** A TSO's clearing, its request and run; deleting the TSO's account removes them. */
async function storeTsoRecords(): Promise<void> {
  const tsoUser = await prisma.user.create({ data: { id: "u4", username: "tso-test", displayName: "TSO", role: "TSO", passwordHash: "x" } });
  const clearing = await prisma.tsoClearing.create({ data: { id: "tc1", userId: tsoUser.id, requestMw: 1.8, boundsJson: "{}", expiresAt: new Date(Date.now() + 60_000) } });
  expect(clearing).toMatchObject({ runId: null });
  await prisma.tsoRequest.create({
    data: {
      id: "tr1",
      clearingId: "tc1",
      userId: tsoUser.id,
      gridId: "g1",
      lightModelId: "lm1",
      kind: "validate",
      iteration: 1,
      totalMw: 0.3,
      activeLocations: 1,
      accepted: false,
      outcome: "outside the offers",
    },
  });
  expect(await prisma.grid.findUniqueOrThrow({ where: { id: "g1" }, include: { tsoRequests: { include: { clearing: true } } } })).toMatchObject({
    tsoRequests: [{ kind: "validate", accepted: false, dispatchJson: null, clearing: { requestMw: 1.8 } }],
  });
  const tsoRun = await prisma.clearingRun.create({ data: { id: "c2", kind: "tso", createdById: tsoUser.id, requestMw: 1.8, status: "optimal", totalMw: 1.8, resultJson: "{}" } });
  await prisma.tsoClearing.update({ where: { id: "tc1" }, data: { runId: tsoRun.id } });
  await prisma.clearingRun.delete({ where: { id: "c2" } });
  expect((await prisma.tsoClearing.findUniqueOrThrow({ where: { id: "tc1" } })).runId).toBeNull();
  await prisma.user.delete({ where: { id: "u4" } });
  expect(await prisma.tsoClearing.count()).toBe(0);
  expect(await prisma.tsoRequest.count()).toBe(0);
}

/** Deleting the aggregator removes its portfolio, bids, assets and runs; a grid needs an existing owner. */
async function deleteAggregator(): Promise<void> {
  await prisma.user.delete({ where: { id: "u3" } });
  expect(await prisma.bidPortfolio.count()).toBe(0);
  expect(await prisma.portfolioBid.count()).toBe(0);
  expect(await prisma.assetBid.count()).toBe(0);
  expect(await prisma.clearingRun.count()).toBe(0);

  const counts = await prisma.user.findUniqueOrThrow({ where: { id: "u1" }, include: { _count: { select: { sessions: true, grids: true, runs: true } } } });
  expect(counts._count).toEqual({ sessions: 1, grids: 1, runs: 1 });

  await expect(prisma.grid.create({ data: { id: "g2", ownerId: "nobody", name: "x", sourceFormat: "json", busCount: 1, branchCount: 0, fpuCount: 0, networkJson: "{}" } })).rejects.toThrow();
}

/** Bookkeeping: a session's last use, sign-in throttling, audit events and seed records. */
async function storeBookkeeping(): Promise<void> {
  const seen = await prisma.session.update({ where: { id: "s1" }, data: { lastSeenAt: new Date() } });
  expect(seen.lastSeenAt).toBeInstanceOf(Date);
  const throttle = await prisma.signInThrottle.create({ data: { key: "user:dso-test", failures: 3, lastFailedAt: new Date() } });
  expect(throttle.blockedUntil).toBeNull();
  await expect(prisma.signInThrottle.create({ data: { key: "user:dso-test", failures: 1, lastFailedAt: new Date() } })).rejects.toThrow(/Unique constraint/);
  const event = await prisma.auditEvent.create({
    data: { id: "a1", userId: "u1", username: "dso-test", role: "DSO", action: "grid.upload", objectType: "grid", objectId: "g1", ownerId: "u1", outcome: "ok", requestId: "r-1", detail: "{}" },
  });
  expect(event.at).toBeInstanceOf(Date);
  await prisma.auditEvent.create({ data: { id: "a2", action: "auth.signin", objectType: "account", outcome: "refused", requestId: "r-2" } });
  expect(await prisma.auditEvent.findMany({ where: { ownerId: "u1" } })).toHaveLength(1);

  await prisma.seedRecord.create({ data: { key: "accounts:v1" } });
  await expect(prisma.seedRecord.create({ data: { key: "accounts:v1" } })).rejects.toThrow(/Unique constraint/);
  expect((await prisma.seedRecord.findUniqueOrThrow({ where: { key: "accounts:v1" } })).createdAt).toBeInstanceOf(Date);
}

/** Deleting the DSO removes everything it owns; the audit trail stays. */
async function deleteDso(): Promise<void> {
  await prisma.user.delete({ where: { id: "u1" } });
  expect(await prisma.session.count()).toBe(0);
  expect(await prisma.grid.count()).toBe(0);
  expect(await prisma.powerFlowRun.count()).toBe(0);
  expect(await prisma.lightModel.count()).toBe(0);
  expect(await prisma.flexRegion.count()).toBe(0);
  expect(await prisma.gridLayout.count()).toBe(0);
  // The trail outlives the accounts and objects it names (no foreign keys).
  expect(await prisma.auditEvent.count()).toBe(2);
}

describe(`schema from the SQL migrations (${dialect})`, () => {
  it("has exactly the columns of every model's scalar fields", async () => {
    const columns = await tableColumns();
    const tables = [...columns.keys()].filter((t) => t !== MIGRATIONS_TABLE).sort();
    const models = Object.values(Prisma.ModelName).sort();
    expect(tables).toEqual(models);
    for (const model of models) {
      const fields = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]).sort();
      expect([...columns.get(model)!].sort(), model).toEqual(fields);
    }
  });

  it("stores and reads every model, with relations and cascading deletes", async () => {
    await storeDsoRecords();
    await storeMarketRecords();
    await storeTsoRecords();
    await deleteAggregator();
    await storeBookkeeping();
    await deleteDso();
  });
});
