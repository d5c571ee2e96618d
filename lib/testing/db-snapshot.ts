import Database from "better-sqlite3";
import { databasePath } from "@/lib/db/client";

/**
 * Tables a refused request writes to on purpose: the audit trail records the refusal
 * and sign-in throttling counts failures. "Unchanged" means every other table.
 */
export const BOOKKEEPING_TABLES: readonly string[] = ["AuditEvent", "SignInThrottle"];

/** Every table's rows of the test database (bookkeeping tables left out): what "the database is unchanged" means in route tests. */
export function databaseSnapshot(): Record<string, unknown[]> {
  const db = new Database(databasePath(), { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).filter(
      (t) => !BOOKKEEPING_TABLES.includes(t.name),
    );
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}
