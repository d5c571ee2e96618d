import "server-only";
/**
 * A database the platform cannot use right now — locked by another connection, its file
 * gone or unwritable, its server stopped — is the operator's problem, not the user's: the
 * API answers 503 with a clear message, and the next request tries again (lib/server/db.ts
 * reopens what failed).
 */
export type UnavailableReason = "locked" | "missing" | "unwritable" | "unreachable";

const MESSAGES: Record<UnavailableReason, string> = {
  locked: "the database is unavailable (locked by another connection); try again",
  missing: "the database is unavailable (its file is missing); try again",
  unwritable: "the database is unavailable (its file cannot be opened or written); try again",
  unreachable: "the database is unavailable (its server cannot be reached); try again",
};

import { UNAVAILABLE_DIGEST_PREFIX } from "../wire/database";

export { DATABASE_PROBE_KEY, isUnavailableDigest } from "../wire/database";

export class DatabaseUnavailableError extends Error {
  readonly reason: UnavailableReason;
  readonly digest: string;

  constructor(reason: UnavailableReason, detail?: string) {
    super(MESSAGES[reason]);
    this.name = "DatabaseUnavailableError";
    this.reason = reason;
    this.digest = UNAVAILABLE_DIGEST_PREFIX + reason;
    if (detail) this.cause = detail;
  }
}

// What the drivers say (better-sqlite3 / SQLite result codes, pg / PostgreSQL SQLSTATEs and
// node's socket errors), as they reach us through Prisma's driver adapters: in `code`,
// `cause`, `meta.driverAdapterError` or only in the message.
const PATTERNS: [UnavailableReason, RegExp][] = [
  ["locked", /SQLITE_BUSY|SQLITE_LOCKED|database is locked|database table is locked|SocketTimeout|\bP1008\b|Operations timed out/i],
  ["missing", /SQLITE_CANTOPEN|unable to open database file|no such file or directory|ENOENT/i],
  ["unwritable", /SQLITE_READONLY|readonly database|SQLITE_IOERR|disk I\/O error|EACCES|EROFS|ENOTDIR|EISDIR|permission denied/i],
  [
    "unreachable",
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EPIPE|Connection terminated|terminating connection|the database system is (starting up|shutting down)|server closed the connection|timeout exceeded when trying to connect|Can't reach database server|DatabaseNotReachable|ConnectionClosed|\bP1001\b|\bP1017\b|57P0[123]|08006|08001|08003/i,
  ],
];

function describe(e: unknown, depth = 0): string {
  if (depth > 4 || e === null || e === undefined) return "";
  if (typeof e !== "object") return String(e);
  const o = e as { name?: unknown; message?: unknown; code?: unknown; kind?: unknown; cause?: unknown; meta?: unknown; errors?: unknown };
  const parts = [o.name, o.message, o.code, o.kind].filter((x) => typeof x === "string") as string[];
  if (o.meta) parts.push(JSON.stringify(o.meta));
  if (o.cause) parts.push(describe(o.cause, depth + 1));
  if (Array.isArray(o.errors)) parts.push(...o.errors.map((x) => describe(x, depth + 1)));
  return parts.join(" | ");
}

/** The reason when `e` says the database cannot be used right now; null for any other error. */
export function unavailableReason(e: unknown): UnavailableReason | null {
  if (e instanceof DatabaseUnavailableError) return e.reason;
  const text = describe(e);
  for (const [reason, re] of PATTERNS) if (re.test(text)) return reason;
  return null;
}
