import { databasePath, openDatabase, type PrismaClient } from "@/lib/db/client";
import { DeploymentError, deploymentMode } from "@/lib/db/deployment";
import { DEMO_ACCOUNTS, ensureDemoData } from "./demo-data";
import { purgeExpiredSessions } from "./session";

interface DbState {
  path: string;
  ready: Promise<PrismaClient>;
}

// One client per process (kept on globalThis so dev-mode module reloads reuse it).
const holder = globalThis as typeof globalThis & { __flexplatDb?: DbState };

/**
 * A production start refuses a database that holds the demo data: its accounts'
 * password is published in the README.
 */
async function assertNoDemoData(prisma: PrismaClient, path: string): Promise<void> {
  const seeded = await prisma.seedRecord.count();
  if (seeded === 0) return;
  throw new DeploymentError(
    `${path} holds FlexPlat's demo data (${DEMO_ACCOUNTS.length} accounts whose password is published); a production start refuses it. ` +
      "Start the demo with `npm run demo` (FLEXPLAT_DEMO=1), or point FLEXPLAT_DB_PATH at a new database file for production.",
  );
}

/**
 * The server's Prisma client. The first call creates the SQLite file if needed,
 * applies the SQL migrations and purges expired sessions; in demo mode it seeds the
 * demo accounts and grids, in production it refuses a database that holds them.
 */
export function getPrisma(): Promise<PrismaClient> {
  const path = databasePath();
  if (holder.__flexplatDb?.path === path) return holder.__flexplatDb.ready;
  const ready = (async () => {
    const mode = deploymentMode();
    const { prisma } = openDatabase(path);
    await purgeExpiredSessions(prisma);
    if (mode === "demo") await ensureDemoData(prisma);
    else await assertNoDemoData(prisma, path);
    return prisma;
  })();
  holder.__flexplatDb = { path, ready };
  ready.catch(() => {
    if (holder.__flexplatDb?.ready === ready) holder.__flexplatDb = undefined;
  });
  return ready;
}
