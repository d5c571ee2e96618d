import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations as apply, MIGRATIONS_TABLE, readMigrations, type Migration } from "./migrate";
import { sqliteDriver } from "./migration-drivers";

const applyMigrations = (db: Database.Database, ms: Migration[]) => apply(sqliteDriver(db), ms);

let dir: string;

function addMigration(name: string, sql: string) {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, "migration.sql"), sql);
}

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "flexplat-mig-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("migration runner", () => {
  it("applies migrations in name order once and records them", async () => {
    addMigration("20260102000000_second", `ALTER TABLE "A" ADD COLUMN "b" TEXT;`);
    addMigration("20260101000000_first", `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`);
    const db = new Database(":memory:");
    const first = await applyMigrations(db, readMigrations(dir));
    expect(first.applied).toEqual(["20260101000000_first", "20260102000000_second"]);
    const again = await applyMigrations(db, readMigrations(dir));
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toHaveLength(2);
    const cols = (db.prepare(`PRAGMA table_info("A")`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(["id", "b"]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "${MIGRATIONS_TABLE}"`).get()).toEqual({ n: 2 });
  });

  it("rolls back a failing migration completely, keeping earlier ones", async () => {
    addMigration("20260101000000_ok", `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`);
    addMigration("20260102000000_bad", `CREATE TABLE "B" ("id" INTEGER); INSERT INTO "Nope" VALUES (1);`);
    const db = new Database(":memory:");
    await expect(applyMigrations(db, readMigrations(dir))).rejects.toThrow(/20260102000000_bad' failed and was rolled back: no such table: Nope/);
    expect(tables(db)).toEqual(["A", MIGRATIONS_TABLE]);
    const names = db.prepare(`SELECT name FROM "${MIGRATIONS_TABLE}"`).all();
    expect(names).toEqual([{ name: "20260101000000_ok" }]);
  });

  it("refuses a migration edited after it was applied", async () => {
    addMigration("20260101000000_first", `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`);
    const db = new Database(":memory:");
    await applyMigrations(db, readMigrations(dir));
    addMigration("20260101000000_first", `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY, "x" TEXT);`);
    await expect(applyMigrations(db, readMigrations(dir))).rejects.toThrow(/was changed after it was applied/);
  });

  it("refuses a database that has migrations the code does not know", async () => {
    addMigration("20260101000000_first", `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`);
    const db = new Database(":memory:");
    await applyMigrations(db, readMigrations(dir));
    rmSync(join(dir, "20260101000000_first"), { recursive: true });
    addMigration("20260101000001_other", `CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);`);
    await expect(applyMigrations(db, readMigrations(dir))).rejects.toThrow(/this code does not know/);
  });

  it("names badly formed folders and missing files", async () => {
    mkdirSync(join(dir, "init"));
    expect(() => readMigrations(dir)).toThrow(/'init' must be named <14-digit timestamp>_<lowercase_name>/);
    rmSync(join(dir, "init"), { recursive: true });
    mkdirSync(join(dir, "20260101000000_empty"));
    expect(() => readMigrations(dir)).toThrow(/'20260101000000_empty' has no migration.sql/);
    expect(() => readMigrations(join(dir, "missing"))).toThrow(/does not exist/);
  });
});
