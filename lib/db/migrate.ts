import "server-only";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * A small migration runner over SQLite (better-sqlite3) and PostgreSQL (pg) — the Prisma
 * schema engine, which `prisma migrate` needs, cannot run on offline machines. Migrations
 * are folders `prisma/migrations/<14-digit timestamp>_<name>/migration.sql` (SQLite) and
 * their twins under `prisma/migrations-pg/` (PostgreSQL), applied in name order,
 * each in its own transaction, and recorded with a checksum so an edited migration is
 * caught instead of silently diverging from the databases it already ran on.
 */

export interface Migration {
  name: string;
  sql: string;
  /** sha256 of the SQL text, hex. */
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export const MIGRATIONS_TABLE = "_flexplat_migrations";
const NAME_PATTERN = /^\d{14}_[a-z0-9_]+$/;

function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Read every migration folder under `dir`, sorted by name. */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`migrations folder ${dir} does not exist`);
  const names = readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
  return names.map((name) => {
    if (!NAME_PATTERN.test(name)) {
      throw new MigrationError(`migration folder '${name}' must be named <14-digit timestamp>_<lowercase_name>`);
    }
    const file = join(dir, name, "migration.sql");
    if (!existsSync(file)) throw new MigrationError(`migration '${name}' has no migration.sql`);
    const sql = readFileSync(file, "utf8");
    if (!sql.trim()) throw new MigrationError(`migration '${name}' is empty`);
    return { name, sql, checksum: checksumOf(sql) };
  });
}

interface AppliedRow {
  name: string;
  checksum: string;
}

/**
 * What the runner needs of a database connection: better-sqlite3 and pg (node-postgres)
 * are both wrapped into this (lib/db/migration-drivers.ts), so one runner serves both
 * dialects.
 */
export interface MigrationDriver {
  readonly dialect: "sqlite" | "postgresql";
  /** Run one or more `;`-separated statements. */
  exec(sql: string): Promise<void>;
  /** Rows of one statement; `$1`, `$2`… placeholders in both dialects. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Run `fn` in a transaction that other migrators wait for (SQLite: BEGIN IMMEDIATE;
   * PostgreSQL: BEGIN and a transaction-scoped advisory lock), committed when `fn`
   * resolves, rolled back when it throws.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Apply the migrations the database has not seen yet. Each runs in an exclusive
 * transaction together with its bookkeeping row, so a failing migration leaves the
 * database as it was and two processes starting at once do not both apply it.
 */
export async function applyMigrations(driver: MigrationDriver, migrations: Migration[]): Promise<MigrationReport> {
  // The bookkeeping table is created inside an exclusive transaction too: two PostgreSQL
  // servers starting at once would otherwise race on CREATE TABLE IF NOT EXISTS.
  await driver.transaction(() =>
    driver.exec(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
         "name" TEXT NOT NULL PRIMARY KEY,
         "checksum" TEXT NOT NULL,
         "appliedAt" TEXT NOT NULL
       )`,
    ),
  );
  const known = new Map(migrations.map((m) => [m.name, m]));
  const readApplied = async () => new Map((await driver.query<AppliedRow>(`SELECT "name", "checksum" FROM "${MIGRATIONS_TABLE}"`)).map((r) => [r.name, r.checksum]));
  for (const [name, checksum] of await readApplied()) {
    const m = known.get(name);
    if (!m) throw new MigrationError(`the database has migration '${name}', which this code does not know (is the database newer than the code?)`);
    if (m.checksum !== checksum) throw new MigrationError(`migration '${name}' was changed after it was applied; add a new migration instead`);
  }
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const m of migrations) {
    let ran: boolean;
    try {
      ran = await driver.transaction(async () => {
        if ((await readApplied()).has(m.name)) return false;
        await driver.exec(m.sql);
        await driver.query(`INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum", "appliedAt") VALUES ($1, $2, $3)`, [m.name, m.checksum, new Date().toISOString()]);
        return true;
      });
    } catch (e) {
      throw new MigrationError(`migration '${m.name}' failed and was rolled back: ${(e as Error).message}`);
    }
    (ran ? report.applied : report.alreadyApplied).push(m.name);
  }
  return report;
}
