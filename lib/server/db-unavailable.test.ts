import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as me from "@/app/api/auth/me/route";
import * as signin from "@/app/api/auth/signin/route";
import { NextRequest } from "next/server";
import { DATABASE_PROBE_KEY, isUnavailableDigest } from "@/lib/db/unavailable";
import { startPostgres, type PostgresServer } from "@/lib/testing/postgres-server";
import { proxy } from "@/proxy";
import { getPrisma, registerDatabaseProbe } from "./db";
import { DEMO_PASSWORD } from "./demo-data";
import { apiRequest } from "./test-harness";

// A locked, missing or unreachable database answers 503 with a clear message, and the
// platform recovers on its own once the database is back. The environment is set here, not
// by useTestDatabase: these tests choose SQLite or a PostgreSQL server of their own.

const saved = { ...process.env };
let dir: string;

function signInRequest() {
  return apiRequest("POST", "/api/auth/signin", { body: JSON.stringify({ username: "tso", password: DEMO_PASSWORD }), headers: { "content-type": "application/json" } });
}

async function forget(): Promise<void> {
  const holder = globalThis as { __flexplatDb?: { ready: Promise<{ $disconnect(): Promise<void> }> } };
  await (await holder.__flexplatDb?.ready.catch(() => null))?.$disconnect();
  holder.__flexplatDb = undefined;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flexplat-unavail-"));
  process.env.FLEXPLAT_DEMO = "1";
  process.env.SESSION_SECRET = "test-secret-test-secret-test-secret-0123";
});
afterEach(forget);
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe("SQLite unavailable", () => {
  beforeAll(() => {
    delete process.env.DATABASE_URL;
    delete process.env.FLEXPLAT_TEST_PG_ADMIN_URL;
  });

  it("answers 503 (locked) while another connection holds the write lock, and signs in once it is released", async () => {
    const file = join(dir, "locked.db");
    process.env.FLEXPLAT_DB_PATH = file;
    expect((await signin.POST(signInRequest())).status).toBe(200);
    const other = new Database(file);
    other.exec("BEGIN EXCLUSIVE");
    try {
      const t0 = Date.now();
      const res = await signin.POST(signInRequest());
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(await res.json()).toEqual({ error: "the database is unavailable (locked by another connection); try again", code: "service_unavailable" });
      expect(Date.now() - t0).toBeLessThan(15_000); // the busy timeout (5 s), not forever
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect((await signin.POST(signInRequest())).status).toBe(200);
  });

  it("answers 503 (missing) while the file is gone, and serves the same data when it is back", async () => {
    const file = join(dir, "moved.db");
    process.env.FLEXPLAT_DB_PATH = file;
    const ok = await signin.POST(signInRequest());
    const cookie = (ok.headers.get("set-cookie") ?? "").split(";")[0];
    renameSync(file, `${file}.away`);
    const res = await me.GET(apiRequest("GET", "/api/auth/me", { cookie }));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toBe("the database is unavailable (its file is missing); try again");
    renameSync(`${file}.away`, file);
    const back = await me.GET(apiRequest("GET", "/api/auth/me", { cookie }));
    expect(back.status).toBe(200);
    expect(((await back.json()) as { user: { username: string } }).user.username).toBe("tso");
  });

  it("answers 503 (cannot be opened) when the file's folder cannot be created, and opens it once it can", async () => {
    const blocker = join(dir, "not-a-folder");
    writeFileSync(blocker, "a file where the database's folder should be");
    process.env.FLEXPLAT_DB_PATH = join(blocker, "flexplat.db");
    const res = await signin.POST(signInRequest());
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toBe("the database is unavailable (its file cannot be opened or written); try again");
    rmSync(blocker);
    expect((await signin.POST(signInRequest())).status).toBe(200);
    await expect(getPrisma()).resolves.toBeTruthy();
  });
});

describe("pages while the database is unavailable", () => {
  beforeAll(() => {
    delete process.env.DATABASE_URL;
    registerDatabaseProbe();
  });
  afterAll(() => {
    delete (globalThis as Record<string, unknown>)[DATABASE_PROBE_KEY];
  });

  const page = () => proxy(new NextRequest("http://localhost/dso"));

  it("answer 503 with a page naming the cause while the SQLite file is missing, and render again once it is back", async () => {
    const file = join(dir, "pages.db");
    process.env.FLEXPLAT_DB_PATH = file;
    const up = await page();
    expect(up.status).toBe(200);
    expect(up.headers.get("x-middleware-next")).toBe("1"); // rendered by the app
    renameSync(file, `${file}.away`);
    const down = await page();
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect(down.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(down.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    const html = await down.text();
    expect(html).toContain("The database is not reachable; try again shortly.");
    expect(html).toContain('data-testid="db-unavailable"');
    renameSync(`${file}.away`, file);
    expect((await page()).status).toBe(200);
  });

  it("carry the cause to the error page in the error's digest (Next.js drops the message in production)", async () => {
    process.env.FLEXPLAT_DB_PATH = join(dir, "pages-digest.db");
    await getPrisma();
    renameSync(join(dir, "pages-digest.db"), join(dir, "pages-digest.db.away"));
    const err = (await getPrisma().catch((e: unknown) => e)) as Error & { digest?: string };
    expect(isUnavailableDigest(err.digest)).toBe(true);
    expect(isUnavailableDigest("1234567")).toBe(false);
    renameSync(join(dir, "pages-digest.db.away"), join(dir, "pages-digest.db"));
  });
});

describe("PostgreSQL unavailable", () => {
  let server: PostgresServer | null = null;
  beforeAll(async () => {
    server = await startPostgres();
    if (!server) console.log("skipped: no PostgreSQL binaries under /usr/lib/postgresql/*/bin (scripts/test.sh installs them)");
  }, 60_000);
  afterAll(() => server?.destroy());

  it("answers 503 (unreachable) while the server is stopped, and recovers when it is started again", async (ctx) => {
    if (!server) return ctx.skip();
    process.env.DATABASE_URL = server.url;
    const ok = await signin.POST(signInRequest());
    expect(ok.status).toBe(200);
    const cookie = (ok.headers.get("set-cookie") ?? "").split(";")[0];
    server.stop();
    const down = await me.GET(apiRequest("GET", "/api/auth/me", { cookie }));
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: string }).error).toBe("the database is unavailable (its server cannot be reached); try again");
    expect((await signin.POST(signInRequest())).status).toBe(503);
    registerDatabaseProbe();
    const page = await proxy(new NextRequest("http://localhost/tso"));
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("The database is not reachable; try again shortly.");
    server.start();
    expect((await proxy(new NextRequest("http://localhost/tso"))).status).toBe(200);
    delete (globalThis as Record<string, unknown>)[DATABASE_PROBE_KEY];
    const back = await me.GET(apiRequest("GET", "/api/auth/me", { cookie }));
    expect(back.status).toBe(200);
    expect((await signin.POST(signInRequest())).status).toBe(200);
  });
});
