import "server-only";
import type { PrismaClient } from "./client";

/** The client inside an interactive transaction. */
export type TransactionClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0] & Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/** Prisma's "write conflict or deadlock, retry" (PostgreSQL SQLSTATE 40001 / 40P01). */
function isWriteConflict(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === "P2034" || /TransactionWriteConflict|could not serialize|deadlock detected/i.test(String((e as Error)?.message));
}

/**
 * An interactive transaction that behaves on PostgreSQL as it does on SQLite: SERIALIZABLE
 * (SQLite's transactions are anyway; PostgreSQL's default, READ COMMITTED, would let two
 * requests both pass a check-then-write — a unit's last megawatt sold twice), retried with
 * a short random back-off when PostgreSQL aborts it for a conflict with a concurrent one.
 * `retryOn`: further Prisma error codes worth one more attempt (P2002: a unique key taken by
 * the concurrent transaction, which the checks of the next attempt then name properly).
 */
export async function serializableTransaction<T>(
  prisma: PrismaClient,
  fn: (tx: TransactionClient) => Promise<T>,
  opts: { attempts?: number; retryOn?: string[]; timeoutMs?: number } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction((tx) => fn(tx as TransactionClient), {
        isolationLevel: "Serializable",
        maxWait: 10_000,
        timeout: opts.timeoutMs ?? 30_000,
      });
    } catch (e) {
      const code = (e as { code?: string }).code;
      const retry = isWriteConflict(e) || (code !== undefined && (opts.retryOn ?? []).includes(code) && attempt === 1);
      if (!retry || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}
