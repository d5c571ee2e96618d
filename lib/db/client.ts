import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { defaultDatabaseFile, deploymentMode, type Env } from "./deployment";
import { applyMigrations, readMigrations, type MigrationReport } from "./migrate";

export type { PrismaClient } from "@/lib/generated/prisma/client";

/** Where the SQLite file lives: FLEXPLAT_DB_PATH, else data/flexplat.db (production) or data/demo.db (demo mode) under the project. */
export function databasePath(env: Env = process.env): string {
  return resolve(/*turbopackIgnore: true*/ env.FLEXPLAT_DB_PATH || join(process.cwd(), "data", defaultDatabaseFile(deploymentMode(env))));
}

export function migrationsDir(): string {
  return join(process.cwd(), "prisma", "migrations");
}

/** Create the file (and its folder) if needed and bring its schema up to date. */
export function migrateDatabaseFile(file: string, dir = migrationsDir()): MigrationReport {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    return applyMigrations(db, readMigrations(dir));
  } finally {
    db.close();
  }
}

/** A Prisma client on a migrated SQLite file. */
export function openDatabase(file: string, dir = migrationsDir()): { prisma: PrismaClient; report: MigrationReport } {
  const report = migrateDatabaseFile(file, dir);
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 });
  return { prisma: new PrismaClient({ adapter }), report };
}
