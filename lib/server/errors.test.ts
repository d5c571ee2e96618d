import { describe, expect, it, vi } from "vitest";
import { DatabaseUnavailableError } from "@/lib/db/unavailable";
import { errorResponse } from "./errors";

// How database failures reach the client, as Prisma's driver adapters report them.
describe("errorResponse for database failures", () => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  const body = async (r: Response) => ({ status: r.status, ...((await r.json()) as { error: string; code: string }), retryAfter: r.headers.get("retry-after") });

  it("answers 503 with the reason for a locked SQLite database, an unreachable PostgreSQL server and an unavailability raised on opening", async () => {
    const locked = Object.assign(new Error("Invalid `prisma.session.create()` invocation: database is locked"), { code: "SQLITE_BUSY" });
    expect(await body(errorResponse(locked))).toEqual({ status: 503, error: "the database is unavailable (locked by another connection); try again", code: "service_unavailable", retryAfter: "1" });
    const refused = Object.assign(new Error("Invalid `prisma.user.findUnique()` invocation"), { meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } });
    expect((await body(errorResponse(refused))).error).toBe("the database is unavailable (its server cannot be reached); try again");
    expect((await body(errorResponse(new DatabaseUnavailableError("missing")))).error).toBe("the database is unavailable (its file is missing); try again");
  });

  it("answers 400 for a NUL character PostgreSQL's text refuses, 500 for anything else", async () => {
    const nul = Object.assign(new Error("Database error. Code: `22021`."), {
      code: "P2039",
      meta: { driverAdapterError: { cause: { originalCode: "22021", originalMessage: 'invalid byte sequence for encoding "UTF8": 0x00' } } },
    });
    expect(await body(errorResponse(nul))).toMatchObject({ status: 400, code: "bad_request" });
    expect((await body(errorResponse(new Error("boom")))).status).toBe(500);
  });
});
