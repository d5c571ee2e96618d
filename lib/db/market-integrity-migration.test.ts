import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "./migrate";
import { sqliteDriver } from "./migration-drivers";

// The market-integrity migration on a database as the attack left it: two published grids
// named alike. The later publication is withdrawn, so the unique index can be built.
const ALL = readMigrations(join(process.cwd(), "prisma", "migrations"));
const AT = ALL.findIndex((m) => m.name.endsWith("_market_integrity"));

describe("market-integrity migration", () => {
  it("withdraws the later of two published grids with the same name, records published names and keeps unpublished duplicates", async () => {
    const db = new Database(":memory:");
    await applyMigrations(sqliteDriver(db), ALL.slice(0, AT));
    db.exec(`INSERT INTO "User" ("id", "username", "displayName", "role", "passwordHash") VALUES ('u1', 'dso-a', 'A', 'DSO', 'x'), ('u2', 'dso-b', 'B', 'DSO', 'x')`);
    const grid = db.prepare(`INSERT INTO "Grid" ("id", "ownerId", "name", "sourceFormat", "busCount", "branchCount", "fpuCount", "networkJson") VALUES (?, ?, ?, 'json', 1, 0, 0, '{}')`);
    grid.run("g-a", "u1", "Bergwald (generated district)");
    grid.run("g-b", "u2", " bergwald (Generated District)");
    grid.run("g-c", "u2", "Bergwald (generated district)");
    grid.run("g-d", "u2", "Seetal");
    const lm = db.prepare(
      `INSERT INTO "LightModel" ("id", "gridId", "modelJson", "keyJson", "operatingPoints", "locations", "monitoredBuses", "monitoredBranches", "reactive", "sizeBytes", "published", "publishedAt") VALUES (?, ?, '{}', '{}', 3, 1, 1, 1, 1, 2, ?, ?)`,
    );
    lm.run("lm-a", "g-a", 1, "2026-01-01 10:00:00");
    lm.run("lm-b", "g-b", 1, "2026-01-02 10:00:00");
    lm.run("lm-c", "g-c", 0, null);
    lm.run("lm-d", "g-d", 1, "2026-01-03 10:00:00");
    await applyMigrations(sqliteDriver(db), ALL);
    const published = db.prepare(`SELECT "id", "published" FROM "LightModel" ORDER BY "id"`).all();
    expect(published).toEqual([
      { id: "lm-a", published: 1 },
      { id: "lm-b", published: 0 },
      { id: "lm-c", published: 0 },
      { id: "lm-d", published: 1 },
    ]);
    expect(db.prepare(`SELECT "id", "publishedName" FROM "Grid" ORDER BY "id"`).all()).toEqual([
      { id: "g-a", publishedName: "bergwald (generated district)" },
      { id: "g-b", publishedName: null },
      { id: "g-c", publishedName: null },
      { id: "g-d", publishedName: "seetal" },
    ]);
    expect(() => db.prepare(`UPDATE "Grid" SET "publishedName" = 'seetal' WHERE "id" = 'g-b'`).run()).toThrow(/UNIQUE constraint failed: Grid.publishedName/);
  });
});
