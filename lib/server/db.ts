import "server-only";
import { statSync } from "node:fs";
import pg from "pg";
import { databaseTarget, describeTarget, openTarget, type DatabaseTarget, type PrismaClient } from "@/lib/db/client";
import { DeploymentError, deploymentMode } from "@/lib/db/deployment";
import { DATABASE_PROBE_KEY, DatabaseUnavailableError, unavailableReason } from "@/lib/db/unavailable";
import { DEMO_ACCOUNTS, ensureDemoData } from "./demo-data";
import { purgeExpiredSessions } from "./session";

interface DbState {
  /** The target's identity: the SQLite path or the PostgreSQL URL. */
  key: string;
  target: DatabaseTarget;
  ready: Promise<PrismaClient>;
  /** The SQLite file as opened (device and inode): a file removed or replaced under us is noticed. */
  file?: { dev: number; ino: number };
}

// One client per process (kept on globalThis so dev-mode module reloads reuse it).
const holder = globalThis as typeof globalThis & { __flexplatDb?: DbState };

/**
 * A production start refuses a database that holds the demo data: its accounts'
 * password is published in the README.
 */
async function assertNoDemoData(prisma: PrismaClient, where: string): Promise<void> {
  const seeded = await prisma.seedRecord.count();
  if (seeded === 0) return;
  throw new DeploymentError(
    `${where} holds FlexPlat's demo data (${DEMO_ACCOUNTS.length} accounts whose password is published); a production start refuses it. ` +
      "Start the demo with `npm run demo` (FLEXPLAT_DEMO=1), or point FLEXPLAT_DB_PATH (or DATABASE_URL) at a new database for production.",
  );
}

/** Any constant: the advisory lock that lets one of several servers on a PostgreSQL database seed the demo data at a time. */
const SEED_LOCK_KEY = 7_140_115;

/** Seed the demo data; on PostgreSQL under a session advisory lock, as several servers may start on one database at once. */
async function seedDemoData(prisma: PrismaClient, target: DatabaseTarget): Promise<void> {
  if (target.kind === "sqlite") {
    await ensureDemoData(prisma);
    return;
  }
  const lock = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5000 });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [SEED_LOCK_KEY]);
    await ensureDemoData(prisma);
  } finally {
    await lock.end(); // ends the session, and with it the lock
  }
}

function fileIdentity(path: string): { dev: number; ino: number } | null {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

/**
 * Why a SQLite file opened before cannot serve this request, or null. A removed file would
 * otherwise keep taking writes into the unlinked inode and lose them; a file put back
 * (another inode) is reopened.
 */
function checkOpenedFile(state: DbState): "missing" | "replaced" | null {
  if (state.target.kind !== "sqlite" || !state.file) return null;
  const now = fileIdentity(state.target.path);
  if (!now) return "missing";
  return now.dev === state.file.dev && now.ino === state.file.ino ? null : "replaced";
}

/** Errors of opening that mean "try again later" become DatabaseUnavailableError (503); the rest stay as they are. */
function asUnavailable(e: unknown): unknown {
  if (e instanceof DeploymentError) return e;
  const reason = unavailableReason(e);
  return reason ? new DatabaseUnavailableError(reason, (e as Error).message) : e;
}

/** Open the target, purge expired sessions, seed the demo data or refuse it; `opened` learns the SQLite file's identity. */
async function openAndPrepare(target: DatabaseTarget, opened: (file: { dev: number; ino: number } | undefined) => void): Promise<PrismaClient> {
  const mode = deploymentMode();
  let prisma: PrismaClient | undefined;
  try {
    ({ prisma } = await openTarget(target));
    if (target.kind === "sqlite") opened(fileIdentity(target.path) ?? undefined);
    await purgeExpiredSessions(prisma);
    if (mode === "demo") await seedDemoData(prisma, target);
    else await assertNoDemoData(prisma, describeTarget(target));
    return prisma;
  } catch (e) {
    await prisma?.$disconnect().catch(() => {});
    throw asUnavailable(e);
  }
}

/**
 * The server's Prisma client. The first call opens the database — the SQLite file
 * (created if needed), or PostgreSQL when DATABASE_URL is set —, applies the SQL
 * migrations and purges expired sessions; in demo mode it seeds the demo accounts and
 * grids, in production it refuses a database that holds them. An open that failed, a
 * SQLite file removed since (503 until it is back) or replaced, is tried again on the
 * next call.
 */
export function getPrisma(): Promise<PrismaClient> {
  const target = databaseTarget();
  const key = target.kind === "sqlite" ? target.path : target.url;
  const current = holder.__flexplatDb;
  if (current?.key === key) {
    const change = checkOpenedFile(current);
    if (change === "missing") return Promise.reject(new DatabaseUnavailableError("missing", `${key} was removed`));
    if (change === null) return current.ready;
    holder.__flexplatDb = undefined;
    void current.ready.then((p) => p.$disconnect()).catch(() => {});
  }
  const state: DbState = { key, target, ready: openAndPrepare(target, (file) => (state.file = file)) };
  holder.__flexplatDb = state;
  state.ready.catch(() => {
    if (holder.__flexplatDb === state) holder.__flexplatDb = undefined;
  });
  return state.ready;
}

/**
 * Whether the database can serve a page now: null when a trivial query answers, else the
 * DatabaseUnavailableError saying why (locked, missing, unwritable, unreachable). Other
 * errors are thrown. proxy.ts runs it before each page (through globalThis, see
 * registerDatabaseProbe) to answer 503 rather than render a page whose queries would fail.
 */
async function probeDatabase(): Promise<DatabaseUnavailableError | null> {
  try {
    const prisma = await getPrisma();
    await prisma.$queryRaw`SELECT 1`;
    return null;
  } catch (e) {
    const reason = unavailableReason(e);
    if (!reason) throw e;
    return e instanceof DatabaseUnavailableError ? e : new DatabaseUnavailableError(reason, (e as Error).message);
  }
}

/** Make probeDatabase reachable from proxy.ts (instrumentation.ts calls this at start). */
export function registerDatabaseProbe(): void {
  (globalThis as Record<string, unknown>)[DATABASE_PROBE_KEY] = probeDatabase;
}
