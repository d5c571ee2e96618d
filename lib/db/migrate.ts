import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";

/**
 * A small migration runner over better-sqlite3 (the Prisma schema engine, which
 * `prisma migrate` needs, cannot run on offline machines). Migrations are folders
 * `prisma/migrations/<14-digit timestamp>_<name>/migration.sql`, applied in name order,
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

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export const MIGRATIONS_TABLE = "_flexplat_migrations";
const NAME_PATTERN = /^\d{14}_[a-z0-9_]+$/;

export function checksumOf(sql: string): string {
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
 * Apply the migrations the database has not seen yet. Each runs in an IMMEDIATE
 * transaction together with its bookkeeping row, so a failing migration leaves the
 * database as it was and two processes starting at once do not both apply it.
 */
export function applyMigrations(db: BetterSqlite3.Database, migrations: Migration[]): MigrationReport {
  db.exec(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
       "name" TEXT NOT NULL PRIMARY KEY,
       "checksum" TEXT NOT NULL,
       "appliedAt" TEXT NOT NULL
     )`,
  );
  const known = new Map(migrations.map((m) => [m.name, m]));
  const readApplied = () =>
    new Map(
      (db.prepare(`SELECT "name", "checksum" FROM "${MIGRATIONS_TABLE}"`).all() as AppliedRow[]).map((r) => [r.name, r.checksum]),
    );
  for (const [name, checksum] of readApplied()) {
    const m = known.get(name);
    if (!m) throw new MigrationError(`the database has migration '${name}', which this code does not know (is the database newer than the code?)`);
    if (m.checksum !== checksum) throw new MigrationError(`migration '${name}' was changed after it was applied; add a new migration instead`);
  }
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  const insert = db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)`);
  for (const m of migrations) {
    const run = db.transaction(() => {
      if (readApplied().has(m.name)) return false;
      db.exec(m.sql);
      insert.run(m.name, m.checksum, new Date().toISOString());
      return true;
    });
    let ran: boolean;
    try {
      ran = run.immediate();
    } catch (e) {
      throw new MigrationError(`migration '${m.name}' failed and was rolled back: ${(e as Error).message}`);
    }
    (ran ? report.applied : report.alreadyApplied).push(m.name);
  }
  return report;
}
