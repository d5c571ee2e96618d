import "server-only";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { serializableTransaction } from "./transaction";

/**
 * Inserting a large row without holding the event loop. better-sqlite3 answers synchronously:
 * Prisma's INSERT of a 10 MB grid held the server's only JavaScript thread — every other
 * request — for the 100–300 ms SQLite takes to write it (measured, issue 14). On SQLite the
 * rows go to a thread of their own (lib/db/sqlite-writer-thread.mjs) with its own connection
 * to the same file, written in one transaction; in WAL mode the server's reads go on meanwhile.
 * PostgreSQL's driver is asynchronous already: there the rows are created with Prisma, in one
 * transaction.
 */

/**
 * A text column's value given as UTF-8 bytes: on SQLite they are transferred to the writer
 * thread and decoded there, so the request thread neither copies nor decodes a large text.
 * The bytes are unusable once inserted.
 */
export class Utf8Text {
  constructor(readonly bytes: Uint8Array<ArrayBuffer>) {}

  text(): string {
    return new TextDecoder().decode(this.bytes);
  }
}

/** Prisma's create input with any text column given as Utf8Text instead. */
type WithUtf8<T> = { [K in keyof T]: T[K] extends string ? T[K] | Utf8Text : T[K] };

/** The rows this writes, by model: Prisma's create inputs (scalar fields only). */
export type RowInsert =
  | { model: "grid"; data: WithUtf8<Prisma.GridUncheckedCreateInput> }
  | { model: "lightModel"; data: WithUtf8<Prisma.LightModelUncheckedCreateInput> }
  | { model: "auditEvent"; data: WithUtf8<Prisma.AuditEventUncheckedCreateInput> };

const TABLES: Record<RowInsert["model"], string> = { grid: "Grid", lightModel: "LightModel", auditEvent: "AuditEvent" };

/**
 * The SQLite file of each client opened by lib/db/client.ts openDatabase (PostgreSQL clients
 * have none). One map per process, on globalThis: Next loads this module once per bundle
 * (instrumentation, each route's), and the client a route gets (lib/server/db.ts, also
 * process-wide) may have been opened by another copy. With a map per copy, the routes of
 * `next start` found no file and wrote through Prisma on the request thread (a 10 MB grid
 * held its event loop 550–630 ms; the in-process bench, one copy, did not show it).
 */
const SQLITE_FILES_KEY = Symbol.for("flexplat.sqliteFiles");
type SqliteFiles = WeakMap<object, { file: string; busyTimeoutMs: number }>;

function processSqliteFiles(): SqliteFiles {
  const g = globalThis as Record<symbol, SqliteFiles | undefined>;
  const existing = g[SQLITE_FILES_KEY];
  if (existing) return existing;
  const fresh: SqliteFiles = new WeakMap();
  g[SQLITE_FILES_KEY] = fresh;
  return fresh;
}

const sqliteFiles = processSqliteFiles();

export function registerSqliteFile(prisma: object, file: string, busyTimeoutMs: number): void {
  sqliteFiles.set(prisma, { file, busyTimeoutMs });
}

/** Insert `rows` in one transaction: all or none. Dates and booleans must be set (no column defaults are relied on). */
export async function insertRows(prisma: PrismaClient, rows: RowInsert[]): Promise<void> {
  const sqlite = sqliteFiles.get(prisma);
  if (!sqlite) {
    await serializableTransaction(prisma, async (tx) => {
      for (const row of rows) {
        if (row.model === "grid") await tx.grid.create({ data: decoded(row.data), select: { id: true } });
        else if (row.model === "lightModel") await tx.lightModel.create({ data: decoded(row.data), select: { id: true } });
        else await tx.auditEvent.create({ data: decoded(row.data), select: { id: true } });
      }
    });
    return;
  }
  const transfer: ArrayBuffer[] = [];
  const inserts = rows.map(({ model, data }) => {
    const entries = Object.entries(data).filter(([, v]) => v !== undefined);
    const values = entries.map(([, v]) => {
      if (!(v instanceof Utf8Text)) return sqliteValue(v);
      transfer.push(v.bytes.buffer);
      return { utf8: v.bytes };
    });
    return { table: TABLES[model], columns: entries.map(([c]) => c), values };
  });
  await writer().run({ ...sqlite, inserts }, transfer);
}

/**
 * A large text (a published light model, a grid's network) of a client on SQLite, read on the
 * writer thread in one query and handed back as UTF-8 bytes on a SharedArrayBuffer; undefined
 * when the client is not SQLite's (the caller reads it itself). better-sqlite3 answers
 * synchronously, and the server's own slices of 1 MB each (lib/server/db-text.ts) re-read a
 * 15 MB value's overflow pages from its start: one slice held the event loop up to 155 ms.
 */
export async function readTextOnThread(prisma: object, table: string, column: string, id: string): Promise<Uint8Array<SharedArrayBuffer> | null | undefined> {
  const sqlite = sqliteFiles.get(prisma);
  if (!sqlite) return undefined;
  return (await writer().run({ ...sqlite, read: { table, column, id } }, [])) ?? null;
}

/** The row with its Utf8Text values decoded (PostgreSQL: the driver sends strings). */
function decoded<T extends object>(data: WithUtf8<T>): T {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v instanceof Utf8Text ? v.text() : v])) as T;
}

/** A value as Prisma's SQLite adapter stores it: DateTime as ISO-8601 text with "+00:00", Boolean as 0/1. */
function sqliteValue(v: unknown): string | number | null {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString().replace(/Z$/, "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" || typeof v === "number") return v;
  throw new Error(`insertRows: a ${typeof v} cannot be stored in a column`);
}

type WriterJob = {
  file: string;
  busyTimeoutMs: number;
} & (
  | {
      /** A value { utf8 } is a text given as UTF-8 bytes (decoded by the thread). */
      inserts: { table: string; columns: string[]; values: (string | number | null | { utf8: Uint8Array })[] }[];
    }
  | { read: { table: string; column: string; id: string } }
);

/** A read's reply carries the text's UTF-8 bytes on a SharedArrayBuffer (shared, not copied), or null for no such row. */
type WriterReply = { id: number; ok: true; bytes?: Uint8Array<SharedArrayBuffer> | null } | { id: number; ok: false; error: { name: string; message: string; code?: string } };

/** The writer thread: started on first use and kept; it holds the process open only while a job is pending. */
class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (bytes: Uint8Array<SharedArrayBuffer> | null | undefined) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  failed = false;

  constructor() {
    // No loader flags (tsx's under the CLI and tests): the thread is plain JavaScript.
    this.worker = new Worker(join(/*turbopackIgnore: true*/ process.cwd(), "lib", "db", "sqlite-writer-thread.mjs"), { execArgv: [] });
    this.worker.unref();
    this.worker.on("message", (reply: WriterReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (!this.pending.size) this.worker.unref();
      if (reply.ok) job.resolve(reply.bytes);
      else job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }));
    });
    const fail = (e: Error) => {
      this.failed = true;
      for (const job of this.pending.values()) job.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the SQLite writer thread stopped (exit code ${code})`)));
  }

  run(job: WriterJob, transfer: ArrayBuffer[]): Promise<Uint8Array<SharedArrayBuffer> | null | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ...job }, transfer);
    });
  }
}

/** The writer thread, one per process (on globalThis, for the reason given at SQLITE_FILES_KEY). */
const WRITER_KEY = Symbol.for("flexplat.sqliteWriter");

function writer(): WriterThread {
  const g = globalThis as Record<symbol, WriterThread | undefined>;
  const current = g[WRITER_KEY];
  if (current && !current.failed) return current;
  const fresh = new WriterThread();
  g[WRITER_KEY] = fresh;
  return fresh;
}
