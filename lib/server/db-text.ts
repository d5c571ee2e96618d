import "server-only";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { PrismaClient } from "@/lib/db/client";
import { readTextOnThread } from "@/lib/db/sqlite-writer";

/**
 * Large stored texts (a published light model is 4–15 MB of JSON) read without holding
 * the event loop: on SQLite by the writer thread in one query (lib/db/sqlite-writer.ts
 * readTextOnThread; better-sqlite3 answers synchronously, so one whole-row read here held
 * every other request for the whole copy); on a SQLite client opened otherwise, in slices of
 * SLICE_BYTES with a turn of the event loop between them; on PostgreSQL in one asynchronous
 * query. The bytes land on a SharedArrayBuffer as UTF-8. Handing
 * those bytes to a worker thread shares them (no copy on the request thread), and the
 * text is decoded only where, and when, it is needed (decodeSharedText).
 */

/** Characters per slice: each query copies about this much on the request thread. */
const SLICE_BYTES = 1 << 20;

/** The texts read this way: (table, column) → the SQL of its length and of one slice. */
const COLUMNS = {
  "LightModel.modelJson": { table: "LightModel", column: "modelJson" },
  "LightModel.keyJson": { table: "LightModel", column: "keyJson" },
  "Grid.networkJson": { table: "Grid", column: "networkJson" },
} as const;

export type LargeTextColumn = keyof typeof COLUMNS;

/** UTF-8 bytes of a stored text, on a SharedArrayBuffer. */
export type SharedText = Uint8Array<SharedArrayBuffer>;

/**
 * The text in `column` of the row `id` as UTF-8 bytes on a SharedArrayBuffer; null when there
 * is no such row. SQLite's is read slice by slice in characters (a byte slice could cut a
 * character in two; Prisma's SQLite adapter does not return the BLOB of an expression),
 * encoded here; PostgreSQL's in one query.
 */
export async function readSharedText(prisma: PrismaClient, column: LargeTextColumn, id: string): Promise<SharedText | null> {
  const { table, column: col } = COLUMNS[column];
  // SQLite: on the writer thread, in one query (lib/db/sqlite-writer.ts readTextOnThread).
  const onThread = await readTextOnThread(prisma, table, col, id);
  if (onThread !== undefined) return onThread;
  // lib/db/client.ts databaseTarget's choice, without importing the clients (the worker pool's bundle imports this module).
  const sqlite = !/^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL?.trim() ?? "");
  const lengths = await prisma.$queryRawUnsafe<{ n: number | bigint | null }[]>(
    sqlite ? `SELECT length(CAST("${col}" AS BLOB)) AS n FROM "${table}" WHERE "id" = ?` : `SELECT octet_length("${col}") AS n FROM "${table}" WHERE "id" = $1`,
    id,
  );
  if (!lengths.length || lengths[0].n === null) return null;
  const bytes = new Uint8Array(new SharedArrayBuffer(Number(lengths[0].n)));
  const encoder = new TextEncoder();
  if (!sqlite) {
    // PostgreSQL answers asynchronously (the driver parses the socket's chunks as they come),
    // and a slice of a compressed TOAST value decompresses it from the start each time: one
    // query for the whole text.
    const [row] = await prisma.$queryRawUnsafe<{ text: string | null }[]>(`SELECT "${col}" AS text FROM "${table}" WHERE "id" = $1`, id);
    const written = row?.text ? encoder.encodeInto(row.text, bytes).written : 0;
    if (written !== bytes.length) throw new Error(`${column} of ${id} changed while it was read (${written} of ${bytes.length} bytes)`);
    return bytes;
  }
  let at = 0; // bytes written
  for (let from = 1; at < bytes.length; from += SLICE_BYTES) {
    if (from > 1) await yieldToLoop();
    const [row] = await prisma.$queryRawUnsafe<{ part: string | null }[]>(`SELECT substr("${col}", ?, ?) AS part FROM "${table}" WHERE "id" = ?`, from, SLICE_BYTES, id);
    const part = row?.part;
    if (part === null || part === undefined || part.length === 0) break; // the row changed under us: what we have is cut short
    at += encoder.encodeInto(part, bytes.subarray(at)).written;
  }
  if (at !== bytes.length) throw new Error(`${column} of ${id} changed while it was read (${at} of ${bytes.length} bytes)`);
  return bytes;
}

/** The text of SharedText bytes (the decoding holds the thread that calls it: call it where the text is needed). */
export function decodeSharedText(bytes: SharedText): string {
  return new TextDecoder("utf-8").decode(bytes);
}
