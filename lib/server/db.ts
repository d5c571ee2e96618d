import { databasePath, openDatabase, type PrismaClient } from "@/lib/db/client";
import { ensureDemoData } from "./demo-data";

interface DbState {
  path: string;
  ready: Promise<PrismaClient>;
}

// One client per process (kept on globalThis so dev-mode module reloads reuse it).
const holder = globalThis as typeof globalThis & { __flexplatDb?: DbState };

/**
 * The server's Prisma client. The first call creates the SQLite file if needed,
 * applies the SQL migrations and seeds the demo accounts and grids.
 */
export function getPrisma(): Promise<PrismaClient> {
  const path = databasePath();
  if (holder.__flexplatDb?.path === path) return holder.__flexplatDb.ready;
  const ready = (async () => {
    const { prisma } = openDatabase(path);
    await ensureDemoData(prisma);
    return prisma;
  })();
  holder.__flexplatDb = { path, ready };
  ready.catch(() => {
    if (holder.__flexplatDb?.ready === ready) holder.__flexplatDb = undefined;
  });
  return ready;
}
