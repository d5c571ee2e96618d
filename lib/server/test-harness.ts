import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { TEST_SESSION_SECRET } from "@/lib/testing/demo-template";
import type { AggregatedBid } from "@/lib/market";
import { migrationsDir, openPostgres } from "@/lib/db/client";
import { readMigrations } from "@/lib/db/migrate";
import { getPrisma } from "./db";
import { publishedDsoSides, registriesOf } from "./market";
import { storePortfolio } from "./portfolio-store";
import { DEMO_PASSWORD, ensureDemoData } from "./demo-data";
import { SESSION_COOKIE } from "./session";
import { signIn } from "./sign-in";

/**
 * Point the server at a fresh database (and secret) for the tests of one file; demo mode
 * (seeded) unless told otherwise. SQLite: a new file in a temporary folder, for a demo
 * database a copy of the template the globalSetup seeded once (lib/testing/demo-template.ts;
 * `fresh` seeds its own instead). When DATABASE_URL names a PostgreSQL server
 * (scripts/with-postgres.sh sets it), a new database on that server instead, copied from a
 * seeded template database there, dropped afterwards.
 */
export function useTestDatabase(opts: { demo?: boolean; fresh?: boolean } = {}): { readonly dir: string } {
  const state = { dir: "" };
  const adminUrl = process.env.FLEXPLAT_TEST_PG_ADMIN_URL ?? process.env.DATABASE_URL;
  let pgName: string | null = null;
  beforeAll(async () => {
    state.dir = mkdtempSync(join(tmpdir(), "flexplat-api-"));
    const file = join(state.dir, "test.db");
    const demo = opts.demo !== false;
    process.env.FLEXPLAT_DB_PATH = file;
    process.env.FLEXPLAT_DEMO = demo ? "1" : "0";
    process.env.SESSION_SECRET = TEST_SESSION_SECRET;
    if (adminUrl) {
      process.env.FLEXPLAT_TEST_PG_ADMIN_URL = adminUrl;
      pgName = `flexplat_test_${process.pid}_${randomBytes(4).toString("hex")}`;
      const template = demo && !opts.fresh ? await seededTemplate(adminUrl) : undefined;
      process.env.DATABASE_URL = await createPostgresDatabase(adminUrl, pgName, template);
    } else {
      const template = demo && !opts.fresh ? inject("demoTemplate") : "";
      if (template) copyFileSync(template, file);
    }
  });
  afterAll(async () => {
    // A test may have left the server refusing its database (deployment tests): nothing to disconnect then.
    await (await getPrisma().catch(() => null))?.$disconnect();
    (globalThis as { __flexplatDb?: unknown }).__flexplatDb = undefined;
    rmSync(state.dir, { recursive: true, force: true });
    if (adminUrl && pgName) await dropPostgresDatabase(adminUrl, pgName);
  });
  return state;
}

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A migrated database with the demo data, seeded once per PostgreSQL server and copied for
 * every test file that wants a demo database (CREATE DATABASE … TEMPLATE takes well under a
 * second; seeding takes several). Named after the migrations, so changed SQL gets a new one.
 */
async function seededTemplate(adminUrl: string): Promise<string> {
  const digest = createHash("sha256")
    .update(
      readMigrations(migrationsDir("postgresql"))
        .map((m) => m.checksum)
        .join(),
    )
    .digest("hex")
    .slice(0, 12);
  const name = `flexplat_demo_template_${digest}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(7140116)"); // one builder at a time; the others wait and reuse it
    if ((await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount) return name;
    const building = `${name}_building`;
    await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    const url = await createPostgresDatabase(adminUrl, building);
    const { prisma } = await openPostgres(url);
    try {
      await ensureDemoData(prisma);
    } finally {
      await prisma.$disconnect();
    }
    await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    return name;
  } finally {
    await client.end();
  }
}

/** Create database `name` on the server of `adminUrl` (empty, or a copy of `template`); its URL. */
export async function createPostgresDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    if (template) {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return withDatabase(adminUrl, name);
    }
    // A linguistic collation (ICU's root locale), unlike SQLite's byte order: code that leans
    // on the database's ORDER BY of text shows it here. The server's default when ICU is absent.
    await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'und' LOCALE 'C.UTF-8'`).catch(() => client.query(`CREATE DATABASE "${name}"`));
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}

export async function dropPostgresDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Cookie header of a fresh session of a demo account. */
export async function sessionCookie(username: string): Promise<string> {
  const { token } = await signIn(await getPrisma(), username, DEMO_PASSWORD);
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}`;
}

export function apiRequest(method: string, path: string, init: { cookie?: string; body?: BodyInit; headers?: Record<string, string> } = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  return new Request(`http://localhost${path}`, { method, body: init.body, headers });
}

export function routeContext<P extends Record<string, string>>(params: P): { params: Promise<P> } {
  return { params: Promise.resolve(params) };
}

export function gridForm(fileName: string, text: string, name?: string): FormData {
  const form = new FormData();
  form.set("file", new File([text], fileName, { type: "text/plain" }));
  if (name) form.set("name", name);
  return form;
}

/**
 * Take units out of an aggregator's stored portfolio (deleted and stored again with
 * the same name, through the upload's checks), so a test can offer them elsewhere: a
 * unit's volume is capped over all portfolios. Bids left without assets are dropped.
 */
export async function freeUnits(username: string, portfolioName: string, unitIds: Set<string>): Promise<void> {
  const prisma = await getPrisma();
  const owner = await prisma.user.findUniqueOrThrow({ where: { username }, select: { id: true, username: true } });
  const row = await prisma.bidPortfolio.findFirstOrThrow({ where: { ownerId: owner.id, name: portfolioName } });
  const bids = (JSON.parse(row.bidsJson) as AggregatedBid[]).flatMap((b) => {
    const assets = b.assets.filter((a) => !unitIds.has(a.assetId));
    if (assets.length === b.assets.length) return [b];
    if (assets.length === 0 || assets.some((a) => a.volumeMw === undefined)) return [];
    const volumeMw = assets.reduce((s, a) => s + a.volumeMw!, 0);
    const minActivationMw = b.minActivationMw === undefined ? undefined : Math.min(b.minActivationMw, Math.abs(volumeMw));
    return [{ ...b, volumeMw, assets, ...(minActivationMw !== undefined ? { minActivationMw } : {}) }];
  });
  await prisma.bidPortfolio.delete({ where: { id: row.id } });
  await storePortfolio(prisma, owner, bids, { name: row.name, fileName: row.fileName }, registriesOf(await publishedDsoSides(prisma)));
}
