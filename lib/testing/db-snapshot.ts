import Database from "better-sqlite3";
import pg from "pg";
import { databaseTarget } from "@/lib/db/client";

/**
 * Tables a refused request writes to on purpose: the audit trail records the refusal
 * and sign-in throttling counts failures. "Unchanged" means every other table.
 */
const BOOKKEEPING_TABLES: readonly string[] = ["AuditEvent", "SignInThrottle"];

/**
 * Every table's rows of the test database (SQLite file or PostgreSQL database, read through
 * a connection of its own; bookkeeping tables left out): what "the database is unchanged"
 * means in route tests.
 */
export async function databaseSnapshot(): Promise<Record<string, unknown[]>> {
  const target = databaseTarget();
  if (target.kind === "postgresql") {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const tables = (
        await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`)
      ).rows.filter((t) => !BOOKKEEPING_TABLES.includes(t.name));
      const out: Record<string, unknown[]> = {};
      // A digest of each row, computed by the server: the same equality as the rows themselves
      // without moving megabytes of grid and light-model JSON per snapshot.
      for (const { name } of tables) out[name] = (await client.query(`SELECT md5(t::text) AS row FROM "${name}" t ORDER BY 1`)).rows.map((r: { row: string }) => r.row);
      return out;
    } finally {
      await client.end();
    }
  }
  const db = new Database(target.path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).filter((t) => !BOOKKEEPING_TABLES.includes(t.name));
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}
