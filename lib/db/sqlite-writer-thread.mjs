// The SQLite writer thread (lib/db/sqlite-writer.ts starts it): inserts rows in one
// transaction on a connection of its own, so that SQLite's copy of a large text (a 10 MB
// grid: 100–300 ms of page writes) holds this thread and not the server's event loop; and
// reads a large text back the same way (read jobs).
// Plain JavaScript, loaded by path: no bundler between Next.js and this file.
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";

/**
 * One job: `inserts` [{ table, columns, values }] as one IMMEDIATE transaction (all rows or
 * none), on a connection opened for the job and closed after it: a connection kept open
 * would keep the file from being used exclusively (a checkpoint, a journal-mode change, a
 * test's reopening) long after the write.
 */
function run({ file, busyTimeoutMs, inserts }) {
  // fileMustExist: the server migrated the file when it opened it; a file gone since is an error, not a new empty database.
  const db = new Database(file, { fileMustExist: true, timeout: busyTimeoutMs });
  try {
    db.pragma("foreign_keys = ON");
    const statements = inserts.map(({ table, columns }) => db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`));
    const utf8 = new TextDecoder();
    db.transaction(() => {
      inserts.forEach(({ values }, k) => {
        // A { utf8 } value is a text sent as bytes (transferred, not copied, by the server's thread).
        statements[k].run(...values.map((v) => (v !== null && typeof v === "object" ? utf8.decode(v.utf8) : v)));
      });
    }).immediate();
  } finally {
    db.close();
  }
}

/**
 * A read job: the text of `column` in row `id` as UTF-8 bytes, copied once onto a
 * SharedArrayBuffer (posted shared, so the server's thread copies nothing); null for no row.
 */
function read({ file, busyTimeoutMs, read: { table, column, id } }) {
  const db = new Database(file, { fileMustExist: true, readonly: true, timeout: busyTimeoutMs });
  try {
    const row = db.prepare(`SELECT CAST("${column}" AS BLOB) AS b FROM "${table}" WHERE "id" = ?`).get(id);
    if (!row || row.b === null) return null;
    const bytes = new Uint8Array(new SharedArrayBuffer(row.b.length));
    bytes.set(row.b);
    return bytes;
  } finally {
    db.close();
  }
}

parentPort.on("message", (job) => {
  try {
    if (job.read) {
      parentPort.postMessage({ id: job.id, ok: true, bytes: read(job) });
      return;
    }
    run(job);
    parentPort.postMessage({ id: job.id, ok: true });
  } catch (e) {
    parentPort.postMessage({ id: job.id, ok: false, error: { name: e?.name ?? "Error", message: String(e?.message ?? e), code: e?.code } });
  }
});
