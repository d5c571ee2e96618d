import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated, demo-seeded SQLite file that useTestDatabase copies for each test file. */
    demoTemplate: string;
  }
}

/** The session secret of every test database (useTestDatabase); the template is seeded with it. */
export const TEST_SESSION_SECRET = "test-secret-test-secret-test-secret-0123";

/**
 * vitest globalSetup: seed the demo data once (accounts with their password hashes, the two
 * districts, their light models and portfolios — seconds of work) into a template file that
 * each integration test file copies, instead of seeding its own.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  // On PostgreSQL (scripts/with-postgres.sh) useTestDatabase copies a template database there instead.
  if (/^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "")) {
    project.provide("demoTemplate", "");
    return () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), "flexplat-template-"));
  const file = join(dir, "demo.db");
  const saved = { path: process.env.FLEXPLAT_DB_PATH, demo: process.env.FLEXPLAT_DEMO, secret: process.env.SESSION_SECRET };
  process.env.FLEXPLAT_DB_PATH = file;
  process.env.FLEXPLAT_DEMO = "1";
  process.env.SESSION_SECRET = TEST_SESSION_SECRET;
  try {
    const { getPrisma } = await import("../server/db");
    const prisma = await getPrisma();
    await prisma.$disconnect();
  } finally {
    for (const [k, v] of [
      ["FLEXPLAT_DB_PATH", saved.path],
      ["FLEXPLAT_DEMO", saved.demo],
      ["SESSION_SECRET", saved.secret],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  // Fold the write-ahead log into the file so that one copy holds everything.
  const db = new Database(file);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.pragma("journal_mode = DELETE");
  db.close();
  project.provide("demoTemplate", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
