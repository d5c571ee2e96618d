import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";
import Database from "better-sqlite3";
import pg from "pg";

/**
 * Production servers (`next start` of the build in .next/) that a spec starts, kills and
 * restarts itself — for the kill tests, the two-servers-on-one-PostgreSQL test and the load
 * bench — on free ports of 127.0.0.1, each with its own environment.
 */

/** The project (specs, the bench and the CLI run from it). */
export const ROOT = process.cwd();
export const hasBuild = () => existsSync(join(ROOT, ".next", "BUILD_ID"));

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves when a line of its output matches. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The database a server runs on: a SQLite file, or a PostgreSQL database URL. */
export type Db = { kind: "sqlite"; path: string } | { kind: "postgresql"; url: string };

function dbEnv(db: Db): Record<string, string> {
  return db.kind === "sqlite" ? { FLEXPLAT_DB_PATH: db.path, DATABASE_URL: "" } : { DATABASE_URL: db.url, FLEXPLAT_DB_PATH: "" };
}

export async function startServer(db: Db, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = "";
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const child = spawn(process.execPath, [join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, FLEXPLAT_DEMO: "1", NODE_ENV: "production", SESSION_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123", ...dbEnv(db), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      if (!w.re.test(out)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const server: Server = {
    url,
    child,
    output: () => out,
    waitForOutput: (re, ms = 60_000) =>
      new Promise((resolve, reject) => {
        if (re.test(out)) return resolve();
        const t = setTimeout(() => reject(new Error(`no ${re} in the server's output within ${ms} ms:\n${out.slice(-2000)}`)), ms);
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
      }),
    kill: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${out.slice(-3000)}`);
    try {
      const res = await fetch(`${url}/signin`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > timeoutMs) {
      await server.kill("SIGKILL");
      throw new Error(`next start did not answer /signin within ${timeoutMs} ms:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // The first request runs instrumentation (migrate, seed); /signin answering means it is done.
  return server;
}

/** A signed-in API client of one server: same-origin requests with the session cookie. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly cookie: string,
  ) {}

  static async signIn(baseUrl: string, username: string, password = "flexdemo"): Promise<Api> {
    const res = await fetch(`${baseUrl}/api/auth/signin`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}: ${await res.text()}`);
    return new Api(baseUrl, (res.headers.get("set-cookie") ?? "").split(";")[0]);
  }

  /** The same session on another server (another process on the same database). */
  on(baseUrl: string): Api {
    return new Api(baseUrl, this.cookie);
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cookie", this.cookie);
    headers.set("origin", this.baseUrl);
    return fetch(`${this.baseUrl}${path}`, { ...init, headers });
  }

  async json<T>(path: string, init: RequestInit = {}, status = 200): Promise<T> {
    const res = await this.fetch(path, init);
    const text = await res.text();
    if (res.status !== status) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status} (expected ${status}): ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  postJson<T>(path: string, body: unknown, status = 200): Promise<T> {
    return this.json<T>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, status);
  }
}

export function fileForm(field: string, name: string, text: string, type = "text/plain"): FormData {
  const form = new FormData();
  form.set(field, new File([text], name, { type }));
  return form;
}

export function tempSqlite(): Db {
  return { kind: "sqlite", path: join(mkdtempSync(join(tmpdir(), "flexplat-e2e-")), "flexplat.db") };
}

/** A new, empty database on the PostgreSQL server of FLEXPLAT_E2E_PG_URL (set by scripts/test.sh through scripts/with-postgres.sh). */
export async function tempPostgres(adminUrl: string, name: string): Promise<Db> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { kind: "postgresql", url: u.toString() };
}

/** Run SQL on the database through a connection of the test's own (the server may be dead). */
export async function query<T = Record<string, unknown>>(db: Db, sql: string): Promise<T[]> {
  if (db.kind === "sqlite") {
    const d = new Database(db.path);
    try {
      return d.prepare(sql).all() as T[];
    } finally {
      d.close();
    }
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Row counts of the tables named. */
export async function counts(db: Db, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await query<{ n: number | string }>(db, `SELECT COUNT(*) AS n FROM "${t}"`))[0].n);
  return out;
}
