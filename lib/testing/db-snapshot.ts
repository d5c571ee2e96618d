import Database from "better-sqlite3";
import { databasePath } from "@/lib/db/client";

/** Every table's rows of the test database: what "the database is unchanged" means in route tests. */
export function databaseSnapshot(): Record<string, unknown[]> {
  const db = new Database(databasePath(), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}
