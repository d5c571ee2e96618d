import "server-only";
import type BetterSqlite3 from "better-sqlite3";
import type { ClientBase } from "pg";
import type { MigrationDriver } from "./migrate";

/** better-sqlite3 is synchronous; the runner's promises resolve at once, one connection, no interleaving. */
export function sqliteDriver(db: BetterSqlite3.Database): MigrationDriver {
  return {
    dialect: "sqlite",
    async exec(sql) {
      db.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      // $1, $2… (PostgreSQL's placeholders) become positional ? in the order they appear.
      const args: unknown[] = [];
      const stmt = db.prepare(
        sql.replace(/\$(\d+)/g, (_, n: string) => {
          args.push(params[Number(n) - 1]);
          return "?";
        }),
      );
      if (stmt.reader) return stmt.all(...args) as T[];
      stmt.run(...args);
      return [];
    },
    async transaction<T>(fn: () => Promise<T>) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const out = await fn();
        db.exec("COMMIT");
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw e;
      }
    },
  };
}

/** Any constant: the key of the advisory lock that serializes FlexPlat's migrators on one PostgreSQL database. */
const MIGRATION_LOCK_KEY = 7_140_114;

/** A pg client (not a pool: a transaction must stay on one connection). */
export function postgresDriver(client: ClientBase): MigrationDriver {
  return {
    dialect: "postgresql",
    async exec(sql) {
      await client.query(sql); // no parameters: the simple protocol, several statements allowed
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: () => Promise<T>) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        const out = await fn();
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      }
    },
  };
}
