import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { serializableTransaction } from "@/lib/db/transaction";
import { writeCsv } from "@/lib/util/csv";
import { currentRequestContext } from "./request-context";
import type { AuditOutcome, AuditEventView } from "@/lib/wire/accounts";

/**
 * The audit trail: one append-only AuditEvent per state change (written by the same
 * transaction as the change, so a rolled-back change leaves no "ok" event) and per
 * refused or failed attempt (written on its own). This module only creates and reads
 * events; nothing in the platform updates or deletes them (a test greps for it).
 */

/** A client that can write: the server's PrismaClient or the `tx` of an interactive transaction. */
export type AuditWriter = Pick<PrismaClient, "auditEvent">;

export interface AuditInput {
  /** Dotted verb: `grid.upload`, `auth.signin`, `coordination.run` … */
  action: string;
  objectType: string;
  objectId?: string | null;
  /** Whose object it is (the events' visibility): a grid's DSO, a portfolio's aggregator, the TSO of a run. */
  ownerId?: string | null;
  outcome?: AuditOutcome;
  /** A few small fields (names, counts, a reason); cut to DETAIL_MAX_CHARS. */
  detail?: Record<string, unknown>;
  /** The acting user; defaults to the request's signed-in user (null: nobody signed in). */
  actor?: { id: string; username: string; role: string } | null;
  /** A user name without an account (a failed sign-in of an unknown name). */
  username?: string;
}

const DETAIL_MAX_CHARS = 2000;
const NAME_MAX_CHARS = 64;

function detailJson(detail: Record<string, unknown> | undefined): string | null {
  if (!detail) return null;
  const json = JSON.stringify(detail);
  return json.length <= DETAIL_MAX_CHARS ? json : JSON.stringify({ truncated: json.slice(0, DETAIL_MAX_CHARS - 40) });
}

/** The row of an event, for a caller that inserts it itself (lib/db/sqlite-writer.ts insertRows). */
export function auditData(input: AuditInput): Prisma.AuditEventCreateInput {
  const ctx = currentRequestContext();
  const actor = input.actor !== undefined ? input.actor : (ctx?.user ?? null);
  return {
    id: randomUUID(),
    at: new Date(),
    userId: actor?.id ?? null,
    username: (actor?.username ?? input.username)?.slice(0, NAME_MAX_CHARS) ?? null,
    role: actor?.role ?? null,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId ?? null,
    ownerId: input.ownerId ?? null,
    outcome: input.outcome ?? "ok",
    requestId: ctx?.requestId ?? `local-${randomUUID()}`,
    detail: detailJson(input.detail),
  };
}

/** Append one event (inside the caller's transaction when `db` is its `tx`). */
export async function recordAudit(db: AuditWriter, input: AuditInput): Promise<void> {
  await db.auditEvent.create({ data: auditData(input) });
  const ctx = currentRequestContext();
  if (ctx && (input.outcome ?? "ok") !== "ok") ctx.refusalRecorded = true;
}

/** Record a refused or failed attempt on its own; a failure to record is logged, never thrown over the original error. */
export async function recordAuditAttempt(db: PrismaClient, input: AuditInput & { outcome: "refused" | "failed" }): Promise<void> {
  try {
    await recordAudit(db, input);
  } catch (e) {
    console.error("recording an audit event failed:", e);
  }
}

/**
 * Run `work` and append its event in one transaction: both are stored or neither.
 * `event` may depend on the result (the id of a created row).
 */
export function auditedTransaction<T>(prisma: PrismaClient, event: AuditInput | ((result: T) => AuditInput), work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  // SERIALIZABLE with retry on PostgreSQL too (lib/db/transaction.ts), as every check-then-write here.
  return serializableTransaction(prisma, async (tx) => {
    const result = await work(tx);
    await recordAudit(tx, typeof event === "function" ? event(result) : event);
    return result;
  });
}

// --- reading the trail ---------------------------------------------------------------

export interface AuditViewer {
  id: string;
  role: string;
}

/**
 * What a user may see: an administrator every event; anyone else the events on its own
 * objects (ownerId: a DSO's grids, an aggregator's portfolios, the TSO's clearings and
 * coordination runs, its own account's sign-ins) and its own actions (userId).
 */
function auditVisibility(viewer: AuditViewer): Prisma.AuditEventWhereInput {
  if (viewer.role === "ADMIN") return {};
  return { OR: [{ ownerId: viewer.id }, { userId: viewer.id }] };
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string;
  outcome?: AuditOutcome;
}

export const AUDIT_PAGE_SIZE_MAX = 200;
/** A CSV download holds at most the newest 50,000 visible events. */
const AUDIT_CSV_MAX_ROWS = 50_000;

function toView(r: Prisma.AuditEventGetPayload<object>): AuditEventView {
  let detail: Record<string, unknown> | null = null;
  try {
    detail = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null;
  } catch {
    detail = { unreadable: r.detail };
  }
  return { ...r, at: r.at.toISOString(), outcome: r.outcome as AuditOutcome, detail };
}

function whereOf(viewer: AuditViewer, q: Omit<AuditQuery, "page" | "pageSize">): Prisma.AuditEventWhereInput {
  return { AND: [auditVisibility(viewer), q.action ? { action: q.action } : {}, q.outcome ? { outcome: q.outcome } : {}] };
}

/** One page of the events the viewer may see, newest first. */
export async function listAuditEvents(prisma: PrismaClient, viewer: AuditViewer, q: AuditQuery): Promise<{ events: AuditEventView[]; page: number; pageSize: number; total: number }> {
  const where = whereOf(viewer, q);
  const [rows, total] = await Promise.all([
    prisma.auditEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    prisma.auditEvent.count({ where }),
  ]);
  return { events: rows.map(toView), page: q.page, pageSize: q.pageSize, total };
}

const CSV_COLUMNS = ["at", "username", "role", "action", "objectType", "objectId", "ownerId", "outcome", "requestId", "detail"] as const;

/** The viewer's visible events (newest first, at most AUDIT_CSV_MAX_ROWS) as CSV; text cells are neutralized against spreadsheet formulas. */
export async function auditEventsCsv(prisma: PrismaClient, viewer: AuditViewer, q: Omit<AuditQuery, "page" | "pageSize"> = {}): Promise<string> {
  const rows = await prisma.auditEvent.findMany({ where: whereOf(viewer, q), orderBy: [{ at: "desc" }, { id: "desc" }], take: AUDIT_CSV_MAX_ROWS });
  return writeCsv(
    CSV_COLUMNS,
    rows.map((r) => [r.at.toISOString(), r.username, r.role, r.action, r.objectType, r.objectId, r.ownerId, r.outcome, r.requestId, r.detail]),
    "\r\n",
  );
}
