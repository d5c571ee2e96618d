import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { migrationsDir } from "./client";
import { readMigrations, type Migration } from "./migrate";

// The SQLite migrations (prisma/migrations) and their PostgreSQL twins (prisma/migrations-pg)
// must build the same tables and columns, those of schema.prisma's models, with the same
// folder names. Read from the SQL text, so it runs without a PostgreSQL server: a migration
// added for one dialect and not the other fails here, in every `vitest run`.

type Tables = Map<string, Map<string, string>>;

/** Strip comments and split into statements (the migrations hold no `;` inside strings). */
function statements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*/g, "")
    .split(";")
    .map((s) => s.trim().replace(/\s+/g, " "))
    .filter(Boolean);
}

const IDENT = `"([^"]+)"`;

/** Tables → column → declared type after applying the CREATE / ALTER / DROP / RENAME statements of the migrations in order. */
function schemaOf(migrations: Migration[]): Tables {
  const tables: Tables = new Map();
  for (const m of migrations) {
    for (const st of statements(m.sql)) {
      const create = new RegExp(`^CREATE TABLE (?:IF NOT EXISTS )?${IDENT} \\((.*)\\)$`, "i").exec(st);
      if (create) {
        const cols = new Map<string, string>();
        for (const part of create[2].split(/,(?![^(]*\))/)) {
          const c = new RegExp(`^\\s*${IDENT} ([A-Z]+(?: PRECISION)?(?:\\(\\d+\\))?)`, "i").exec(part);
          if (c) cols.set(c[1], c[2].toUpperCase());
        }
        tables.set(create[1], cols);
        continue;
      }
      const add = new RegExp(`^ALTER TABLE ${IDENT} ADD COLUMN ${IDENT} ([A-Z]+(?: PRECISION)?(?:\\(\\d+\\))?)`, "i").exec(st);
      if (add) {
        tables.get(add[1])?.set(add[2], add[3].toUpperCase());
        continue;
      }
      const drop = new RegExp(`^ALTER TABLE ${IDENT} DROP COLUMN ${IDENT}`, "i").exec(st);
      if (drop) {
        tables.get(drop[1])?.delete(drop[2]);
        continue;
      }
      const renameColumn = new RegExp(`^ALTER TABLE ${IDENT} RENAME COLUMN ${IDENT} TO ${IDENT}`, "i").exec(st);
      if (renameColumn) {
        const t = tables.get(renameColumn[1]);
        if (t?.has(renameColumn[2])) {
          t.set(renameColumn[3], t.get(renameColumn[2])!);
          t.delete(renameColumn[2]);
        }
        continue;
      }
      const renameTable = new RegExp(`^ALTER TABLE ${IDENT} RENAME TO ${IDENT}`, "i").exec(st);
      if (renameTable) {
        const t = tables.get(renameTable[1]);
        tables.delete(renameTable[1]);
        if (t) tables.set(renameTable[2], t);
        continue;
      }
      const dropTable = new RegExp(`^DROP TABLE (?:IF EXISTS )?${IDENT}`, "i").exec(st);
      if (dropTable) tables.delete(dropTable[1]);
    }
  }
  return tables;
}

/** The column type each dialect's migrations must use for a Prisma scalar type (as `prisma migrate diff` writes them). */
const TYPES: Record<"sqlite" | "postgresql", Record<string, string>> = {
  sqlite: { String: "TEXT", Int: "INTEGER", Float: "REAL", Boolean: "BOOLEAN", DateTime: "DATETIME" },
  postgresql: { String: "TEXT", Int: "INTEGER", Float: "DOUBLE PRECISION", Boolean: "BOOLEAN", DateTime: "TIMESTAMP(3)" },
};

/**
 * schema.prisma's models → scalar field → Prisma type, read from the file (the generated
 * client carries no types at run time); checked against the client's field enums.
 */
function modelsOfSchema(): Map<string, Map<string, string>> {
  const text = readFileSync(join(process.cwd(), "prisma", "schema.prisma"), "utf8").replace(/\/\/[^\n]*/g, "");
  const out = new Map<string, Map<string, string>>();
  for (const [, name, body] of text.matchAll(/^model (\w+) \{([^}]*)\}/gm)) {
    const fields = new Map<string, string>();
    for (const [, field, type] of body.matchAll(/^\s*(\w+)\s+(String|Int|Float|Boolean|DateTime)\??\s/gm)) fields.set(field, type);
    out.set(name, fields);
  }
  expect([...out.keys()].sort()).toEqual(Object.values(Prisma.ModelName).sort());
  for (const [model, fields] of out) {
    const generated = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]);
    expect([...fields.keys()].sort(), `${model} in schema.prisma vs the generated client (npm run setup)`).toEqual(generated.sort());
  }
  return out;
}

const sqlite = readMigrations(migrationsDir("sqlite"));
const postgres = readMigrations(migrationsDir("postgresql"));

describe("SQLite and PostgreSQL migrations", () => {
  it("are the same folders, in the same order", () => {
    expect(
      postgres.map((m) => m.name),
      "prisma/migrations-pg must have a twin of every folder in prisma/migrations",
    ).toEqual(sqlite.map((m) => m.name));
  });

  for (const [dialect, set] of [
    ["sqlite", sqlite],
    ["postgresql", postgres],
  ] as const) {
    it(`${dialect}: build exactly the tables and columns of schema.prisma's models, with the dialect's types`, () => {
      const tables = schemaOf(set);
      const models = modelsOfSchema();
      expect([...tables.keys()].sort()).toEqual([...models.keys()].sort());
      for (const [model, fields] of models) {
        const cols = tables.get(model)!;
        expect([...cols.keys()].sort(), model).toEqual([...fields.keys()].sort());
        for (const [f, type] of fields) expect(cols.get(f), `${model}.${f} (${type})`).toBe(TYPES[dialect][type]);
      }
    });
  }

  it("the parser sees a column added in one dialect only", () => {
    const extra = { name: "20990101000000_x", sql: `ALTER TABLE "User" ADD COLUMN "nickname" TEXT;`, checksum: "" };
    expect(
      schemaOf([...sqlite, extra])
        .get("User")!
        .has("nickname"),
    ).toBe(true);
    expect(schemaOf(postgres).get("User")!.has("nickname")).toBe(false);
  });
});
