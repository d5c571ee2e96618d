import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPostgresDatabase, dropPostgresDatabase } from "@/lib/server/test-harness";
import { openDatabase, openPostgres, type PrismaClient } from "./client";
import { insertRows, readTextOnThread, Utf8Text } from "./sqlite-writer";

// insertRows on the dialect of this run: SQLite (its writer thread) or, under
// scripts/with-postgres.sh, PostgreSQL (Prisma in one transaction).
const PG_ADMIN = process.env.FLEXPLAT_TEST_PG_ADMIN_URL ?? process.env.DATABASE_URL;
const pgName = `flexplat_writer_${process.pid}`;
let dir: string;
let file: string;
let prisma: PrismaClient;
let ownerId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flexplat-writer-"));
  file = join(dir, "test.db");
  prisma = PG_ADMIN ? (await openPostgres(await createPostgresDatabase(PG_ADMIN, pgName))).prisma : (await openDatabase(file)).prisma;
  ownerId = randomUUID();
  await prisma.user.create({ data: { id: ownerId, username: "dso-writer", displayName: "DSO", role: "DSO", passwordHash: "x" } });
});
afterAll(async () => {
  await prisma?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  if (PG_ADMIN) await dropPostgresDatabase(PG_ADMIN, pgName);
});

function gridRow(name: string, networkJson = '{"buses":[]}') {
  return {
    id: randomUUID(),
    ownerId,
    name,
    sourceFormat: "json",
    fileName: `${name}.json`,
    busCount: 3,
    branchCount: 2,
    fpuCount: 1,
    networkJson,
    createdAt: new Date(),
    demoMode: false,
    publishedName: null,
  };
}

function auditRow(objectId: string) {
  return {
    id: randomUUID(),
    at: new Date(),
    userId: ownerId,
    username: "dso-writer",
    role: "DSO",
    action: "grid.upload",
    objectType: "grid",
    objectId,
    ownerId,
    outcome: "ok",
    requestId: randomUUID(),
    detail: '{"n":1}',
  };
}

describe("insertRows", () => {
  it("stores rows that Prisma reads back exactly as it would have written them (dates to the millisecond, booleans, nulls, a 4 MB text given as UTF-8 bytes)", async () => {
    const big = JSON.stringify({ buses: Array.from({ length: 150_000 }, (_, i) => ({ id: i, name: `bus ${i} ü` })) });
    expect(big.length).toBeGreaterThan(4_000_000);
    const ours = gridRow("ours", big);
    const theirs = gridRow("theirs", big);
    const event = auditRow(ours.id);
    // The text as UTF-8 bytes (how uploads hand it on, transferred to the writer thread), the rest as values.
    const utf8 = new TextEncoder().encode(big);
    await insertRows(prisma, [
      { model: "grid", data: { ...ours, networkJson: new Utf8Text(utf8) } },
      { model: "auditEvent", data: event },
    ]);
    await prisma.grid.create({ data: theirs });
    const [a, b] = await Promise.all([prisma.grid.findUniqueOrThrow({ where: { id: ours.id } }), prisma.grid.findUniqueOrThrow({ where: { id: theirs.id } })]);
    expect(a).toEqual(ours);
    expect({ ...a, id: b.id, name: b.name, fileName: b.fileName, createdAt: b.createdAt }).toEqual(b);
    expect(await prisma.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
    // Ordering and filtering by date see the two writers' dates alike.
    const sorted = await prisma.grid.findMany({ where: { createdAt: { gte: ours.createdAt } }, orderBy: { createdAt: "asc" }, select: { name: true } });
    expect(sorted.map((g) => g.name)).toEqual(["ours", "theirs"]);
  });

  it("stores all rows or none: a failing second row leaves no first row", async () => {
    const grid = gridRow("half");
    const event = auditRow(grid.id);
    await insertRows(prisma, [{ model: "auditEvent", data: event }]);
    await expect(
      insertRows(prisma, [
        { model: "grid", data: grid },
        { model: "auditEvent", data: event }, // the same id again: a unique-key violation
      ]),
    ).rejects.toThrow();
    expect(await prisma.grid.findUnique({ where: { id: grid.id } })).toBeNull();
  });

  if (!PG_ADMIN) {
    it("SQLite: writes on a thread of its own, so the server's thread keeps running while another connection holds the write lock", async () => {
      // If insertRows wrote on this thread, better-sqlite3 would wait for the lock synchronously
      // (holding this thread, so the lock below could never be released) and fail with SQLITE_BUSY.
      const other = new Database(file, { timeout: 100 });
      try {
        other.prepare("BEGIN IMMEDIATE").run();
        const grid = gridRow("waited");
        let settled = false;
        const write = insertRows(prisma, [{ model: "grid", data: grid }]).finally(() => {
          settled = true;
        });
        let turns = 0;
        for (let k = 0; k < 20; k++) {
          await new Promise((r) => setTimeout(r, 10));
          turns++;
        }
        expect({ turns, settled }).toEqual({ turns: 20, settled: false });
        other.prepare("COMMIT").run();
        await write;
        expect((await prisma.grid.findUniqueOrThrow({ where: { id: grid.id } })).name).toBe("waited");
      } finally {
        if (other.inTransaction) other.prepare("ROLLBACK").run();
        other.close();
      }
    });

    it("SQLite: reads a 4 MB text back on the thread, byte for byte, onto a SharedArrayBuffer; null for no row", async () => {
      const big = `{"buses":[${Array.from({ length: 200_000 }, (_, i) => `"bus ${i} ü"`).join(",")}]}`;
      const grid = gridRow("read back", big);
      await prisma.grid.create({ data: grid });
      const bytes = await readTextOnThread(prisma, "Grid", "networkJson", grid.id);
      expect(bytes?.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(bytes?.byteLength).toBe(Buffer.byteLength(big));
      expect(new TextDecoder().decode(bytes!)).toBe(big);
      expect(await readTextOnThread(prisma, "Grid", "networkJson", "no-such-grid")).toBeNull();
    });

    it("SQLite: another copy of this module (Next loads one per bundle) writes a client's rows on the writer thread too, not through Prisma", async () => {
      vi.resetModules();
      const copy = (await import("./sqlite-writer")) as typeof import("./sqlite-writer");
      expect(copy.insertRows).not.toBe(insertRows);
      const viaPrisma = vi.spyOn(prisma, "$transaction");
      try {
        const grid = gridRow("other copy");
        await copy.insertRows(prisma, [{ model: "grid", data: { ...grid, networkJson: new copy.Utf8Text(new TextEncoder().encode('{"buses":[1]}')) } }]);
        expect((await prisma.grid.findUniqueOrThrow({ where: { id: grid.id } })).networkJson).toBe('{"buses":[1]}');
        expect(viaPrisma).not.toHaveBeenCalled();
      } finally {
        viaPrisma.mockRestore();
      }
    });

    it("SQLite: a database file removed under the server answers the writer's error, which names it", async () => {
      const gone = join(dir, "gone.db");
      const opened = await openDatabase(gone);
      rmSync(gone);
      await expect(insertRows(opened.prisma, [{ model: "grid", data: gridRow("nowhere") }])).rejects.toThrow(/unable to open database file|SQLITE_CANTOPEN/);
      await opened.prisma.$disconnect();
    });
  }
});
