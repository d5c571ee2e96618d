import "server-only";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-pg/client";
import { defaultDatabaseFile, DeploymentError, deploymentMode, type Env } from "./deployment";
import { applyMigrations, readMigrations, type MigrationReport } from "./migrate";
import { postgresDriver, sqliteDriver } from "./migration-drivers";
import { registerSqliteFile } from "./sqlite-writer";
import { DatabaseUnavailableError } from "./unavailable";

/**
 * The client type every caller uses. The PostgreSQL client (generated from the same models
 * into lib/generated/prisma-pg) has the same model API; openPostgres casts it to this type.
 */
export type { PrismaClient } from "@/lib/generated/prisma/client";

/** Where the data lives: a SQLite file (the default) or a PostgreSQL database (DATABASE_URL). */
export type DatabaseTarget = { kind: "sqlite"; path: string } | { kind: "postgresql"; url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * DATABASE_URL=postgres://… or postgresql://… selects PostgreSQL; otherwise the SQLite file
 * of databasePath(). Any other DATABASE_URL is refused rather than silently ignored.
 */
export function databaseTarget(env: Env = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!POSTGRES_URL.test(url)) {
      throw new DeploymentError(`DATABASE_URL must be a postgres:// or postgresql:// URL (SQLite needs none: FLEXPLAT_DB_PATH names its file); got '${url.split(":")[0]}:…'`);
    }
    return { kind: "postgresql", url };
  }
  return { kind: "sqlite", path: databasePath(env) };
}

/** The target as messages may show it: the file, or the URL without its password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "sqlite") return target.path;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgresql://…";
  }
}

/** Where the SQLite file lives: FLEXPLAT_DB_PATH, else data/flexplat.db (production) or data/demo.db (demo mode) under the project. */
export function databasePath(env: Env = process.env): string {
  return resolve(/*turbopackIgnore: true*/ env.FLEXPLAT_DB_PATH || join(process.cwd(), "data", defaultDatabaseFile(deploymentMode(env))));
}

/** SQL migrations of a dialect: prisma/migrations (SQLite) or prisma/migrations-pg (PostgreSQL), with the same folder names. */
export function migrationsDir(kind: DatabaseTarget["kind"] = "sqlite"): string {
  return join(process.cwd(), "prisma", kind === "sqlite" ? "migrations" : "migrations-pg");
}

/** How long a SQLite connection waits for another connection's write lock before SQLITE_BUSY (then 503). */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Create the file (and its folder) if needed and bring its schema up to date. */
async function migrateDatabaseFile(file: string, dir = migrationsDir("sqlite")): Promise<MigrationReport> {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    // A file where the folder should be (EEXIST, ENOTDIR), no permission (EACCES, EROFS).
    throw new DatabaseUnavailableError("unwritable", `cannot create the folder of ${file}: ${(e as Error).message}`);
  }
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    return await applyMigrations(sqliteDriver(db), readMigrations(dir));
  } finally {
    db.close();
  }
}

/** A Prisma client on a migrated SQLite file. */
export async function openDatabase(file: string, dir = migrationsDir("sqlite")): Promise<{ prisma: PrismaClient; report: MigrationReport }> {
  const report = await migrateDatabaseFile(file, dir);
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const prisma = new PrismaClient({ adapter });
  registerSqliteFile(prisma, file, SQLITE_BUSY_TIMEOUT_MS);
  return { prisma, report };
}

/** Bring a PostgreSQL database's schema up to date (one connection, closed afterwards). */
async function migratePostgres(url: string, dir = migrationsDir("postgresql")): Promise<MigrationReport> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await applyMigrations(postgresDriver(client), readMigrations(dir));
  } finally {
    await client.end();
  }
}

/** A Prisma client (pg driver adapter, a pool of connections) on a migrated PostgreSQL database. */
export async function openPostgres(url: string, dir = migrationsDir("postgresql")): Promise<{ prisma: PrismaClient; report: MigrationReport }> {
  const report = await migratePostgres(url, dir);
  // A stopped server must fail a request within seconds (503), not hang it.
  const adapter = new PrismaPg({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  const prisma = new PostgresPrismaClient({ adapter });
  // The same models generated for another provider: identical model API, but a distinct
  // class (and provider-specific extras like `mode: "insensitive"` filters) to TypeScript.
  return { prisma: prisma as unknown as PrismaClient, report };
}

/** A migrated client on the target: SQLite file or PostgreSQL database. */
export function openTarget(target: DatabaseTarget): Promise<{ prisma: PrismaClient; report: MigrationReport }> {
  return target.kind === "sqlite" ? openDatabase(target.path) : openPostgres(target.url);
}
