import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { DEMO_PASSWORD } from "@/lib/server/demo-data";
import { LAST_SEEN_RESOLUTION_MS, SESSION_COOKIE, sessionIdleMs, verifySessionToken } from "@/lib/server/session";
import { SIGN_IN_FAILED } from "@/lib/server/sign-in";
import { ACCOUNT_POLICY, ADDRESS_POLICY, accountKey, waitAfter } from "@/lib/server/sign-in-throttle";
import { apiRequest, useTestDatabase } from "@/lib/server/test-harness";
import * as me from "./me/route";
import * as password from "./password/route";
import * as signin from "./signin/route";
import * as signoutAll from "./signout-all/route";

useTestDatabase();

let nextAddress = 1;
/** A fresh client address per scenario, so the address counter of one does not throttle another. */
function freshAddress(): string {
  return `198.51.100.${nextAddress++}`;
}

function attempt(username: string, pass: string, address: string, cookie?: string) {
  return signin.POST(
    apiRequest("POST", "/api/auth/signin", { cookie, body: JSON.stringify({ username, password: pass }), headers: { "content-type": "application/json", "x-forwarded-for": address } }),
  );
}

function cookieOf(res: Response): string {
  return (res.headers.get("set-cookie") ?? "").split(";")[0];
}

function sessionIdOfCookie(cookie: string): string {
  return verifySessionToken(decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)))!;
}

/** Let the key's current wait pass, as if the time had come (the counter itself stays). */
async function expireWait(key: string) {
  await (await getPrisma()).signInThrottle.updateMany({ where: { key }, data: { blockedUntil: new Date(Date.now() - 1) } });
}

describe("sign-in throttling", () => {
  it("backs off exponentially after 3 failures and locks from the 10th", () => {
    expect([1, 2, 3, 4, 5, 6, 9, 10, 11].map((f) => waitAfter(f, ACCOUNT_POLICY))).toEqual([
      { ms: 0, locked: false },
      { ms: 0, locked: false },
      { ms: 1000, locked: false },
      { ms: 2000, locked: false },
      { ms: 4000, locked: false },
      { ms: 8000, locked: false },
      { ms: 64000, locked: false },
      { ms: 15 * 60 * 1000, locked: true },
      { ms: 15 * 60 * 1000, locked: true },
    ]);
    expect(waitAfter(9, ADDRESS_POLICY).ms).toBe(0);
    expect(waitAfter(10, ADDRESS_POLICY).ms).toBe(1000);
  });

  it("answers 429 with Retry-After while backing off, for a known and an unknown name alike", async () => {
    for (const username of ["dso-rheintal", "no-such-user"]) {
      const address = freshAddress();
      for (let i = 0; i < 3; i++) {
        const res = await attempt(username, "wrong-password", address);
        expect(res.status, `${username} #${i + 1}`).toBe(401);
        expect(await res.json()).toEqual({ error: SIGN_IN_FAILED, code: "unauthorized" });
      }
      const throttled = await attempt(username, DEMO_PASSWORD, freshAddress());
      expect(throttled.status, username).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("1");
      expect(((await throttled.json()) as { error: string }).error).toBe("too many failed sign-ins; wait 1 s and try again");
      expect(throttled.headers.get("set-cookie")).toBeNull();
      await expireWait(accountKey(username));
      const next = await attempt(username, "wrong-password", address);
      expect(next.status).toBe(401);
      expect((await attempt(username, "wrong-password", address)).headers.get("retry-after")).toBe("2");
    }
  });

  it("locks a name after 10 failures with the generic answer, even for the right password, and the lock ends", async () => {
    const prisma = await getPrisma();
    const key = accountKey("agg-heatflex");
    for (let i = 0; i < 10; i++) {
      await expireWait(key);
      expect((await attempt("agg-heatflex", "wrong-password", freshAddress())).status).toBe(401);
    }
    const row = await prisma.signInThrottle.findUniqueOrThrow({ where: { key } });
    expect(row.failures).toBe(10);
    expect(row.blockedUntil!.getTime() - row.lastFailedAt.getTime()).toBe(15 * 60 * 1000);
    const locked = await attempt("agg-heatflex", DEMO_PASSWORD, freshAddress());
    expect(locked.status).toBe(401);
    expect(await locked.json()).toEqual({ error: SIGN_IN_FAILED, code: "unauthorized" });
    expect(locked.headers.get("set-cookie")).toBeNull();
    // 15 minutes later: the lock is over and the old failures are forgotten.
    const past = new Date(Date.now() - 16 * 60 * 1000);
    await prisma.signInThrottle.update({ where: { key }, data: { blockedUntil: past, lastFailedAt: past } });
    expect((await attempt("agg-heatflex", DEMO_PASSWORD, freshAddress())).status).toBe(200);
  });

  it("resets the account's counter on success", async () => {
    const address = freshAddress();
    for (let i = 0; i < 2; i++) expect((await attempt("agg-storage", "wrong-password", address)).status).toBe(401);
    expect((await attempt("agg-storage", DEMO_PASSWORD, address)).status).toBe(200);
    expect(await (await getPrisma()).signInThrottle.findUnique({ where: { key: accountKey("agg-storage") } })).toBeNull();
    for (let i = 0; i < 2; i++) expect((await attempt("agg-storage", "wrong-password", address)).status).toBe(401);
    expect((await attempt("agg-storage", DEMO_PASSWORD, address)).status).toBe(200);
  });

  it("throttles one address that tries many names", async () => {
    const address = freshAddress();
    for (let i = 0; i < ADDRESS_POLICY.freeFailures; i++) {
      expect((await attempt(`guess-${i}`, "wrong-password", address)).status).toBe(401);
    }
    const res = await attempt("tso", DEMO_PASSWORD, address);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    // The same account from elsewhere is not affected.
    expect((await attempt("tso", DEMO_PASSWORD, freshAddress())).status).toBe(200);
  });

  it("a success from a busy address takes its own claim back, so the next operator there is not kept waiting", async () => {
    const address = freshAddress();
    for (let i = 0; i < ADDRESS_POLICY.freeFailures - 1; i++) expect((await attempt(`typo-${i}`, "wrong-password", address)).status).toBe(401);
    expect((await attempt("dso-bergwald", DEMO_PASSWORD, address)).status).toBe(200);
    expect((await attempt("agg-storage", DEMO_PASSWORD, address)).status).toBe(200);
    const row = await (await getPrisma()).signInThrottle.findUniqueOrThrow({ where: { key: `addr:${address}` } });
    expect(row).toMatchObject({ failures: ADDRESS_POLICY.freeFailures - 1, blockedUntil: null });
  });

  it("lets at most the free attempts through when many arrive at once", async () => {
    const address = freshAddress();
    const results = await Promise.all(Array.from({ length: 12 }, () => attempt("agg-solarpool", "wrong-password", address)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_POLICY.freeFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - ACCOUNT_POLICY.freeFailures);
    const row = await (await getPrisma()).signInThrottle.findUniqueOrThrow({ where: { key: accountKey("agg-solarpool") } });
    expect(row.failures).toBe(ACCOUNT_POLICY.freeFailures);
  });

  it("records every attempt in the audit trail, successful or not, with the request id", async () => {
    const prisma = await getPrisma();
    const address = freshAddress();
    const bad = await signin.POST(
      apiRequest("POST", "/api/auth/signin", {
        body: JSON.stringify({ username: "dso-bergwald", password: "wrong-password" }),
        headers: { "content-type": "application/json", "x-forwarded-for": address, "x-request-id": "req-bad-1" },
      }),
    );
    expect(bad.headers.get("x-request-id")).toBe("req-bad-1");
    const user = await prisma.user.findUniqueOrThrow({ where: { username: "dso-bergwald" } });
    expect(await prisma.auditEvent.findMany({ where: { requestId: "req-bad-1" } })).toMatchObject([
      { action: "auth.signin", outcome: "refused", userId: null, username: "dso-bergwald", ownerId: user.id, objectId: user.id },
    ]);
    const good = await attempt("dso-bergwald", DEMO_PASSWORD, address);
    const requestId = good.headers.get("x-request-id")!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await prisma.auditEvent.findMany({ where: { requestId } })).toMatchObject([{ action: "auth.signin", outcome: "ok", userId: user.id, role: "DSO", ownerId: user.id }]);
  });
});

describe("sessions: rotation, idle timeout, signing out everywhere", () => {
  it("issues a new session id on sign-in and ends the one the browser came with", async () => {
    const first = cookieOf(await attempt("tso", DEMO_PASSWORD, freshAddress()));
    const second = await attempt("tso", DEMO_PASSWORD, freshAddress(), first);
    expect(second.status).toBe(200);
    const cookie = cookieOf(second);
    expect(sessionIdOfCookie(cookie)).not.toBe(sessionIdOfCookie(first));
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie: first }))).status).toBe(401);
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status).toBe(200);
  });

  it("ends a session idle for longer than the idle timeout, and records use at most once a minute", async () => {
    expect(sessionIdleMs({})).toBe(30 * 60 * 1000);
    expect(sessionIdleMs({ FLEXPLAT_SESSION_IDLE_MINUTES: "5" })).toBe(5 * 60 * 1000);
    expect(() => sessionIdleMs({ FLEXPLAT_SESSION_IDLE_MINUTES: "0" })).toThrow(/1 to 720/);
    const prisma = await getPrisma();
    const cookie = cookieOf(await attempt("agg-evfleet", DEMO_PASSWORD, freshAddress()));
    const id = sessionIdOfCookie(cookie);
    const created = (await prisma.session.findUniqueOrThrow({ where: { id } })).lastSeenAt!;
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status).toBe(200);
    expect((await prisma.session.findUniqueOrThrow({ where: { id } })).lastSeenAt).toEqual(created); // within the minute: no write
    const earlier = new Date(Date.now() - LAST_SEEN_RESOLUTION_MS - 1000);
    await prisma.session.update({ where: { id }, data: { lastSeenAt: earlier } });
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status).toBe(200);
    expect((await prisma.session.findUniqueOrThrow({ where: { id } })).lastSeenAt!.getTime()).toBeGreaterThan(earlier.getTime());
    await prisma.session.update({ where: { id }, data: { lastSeenAt: new Date(Date.now() - 31 * 60 * 1000) } });
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status).toBe(401);
    expect(await prisma.session.findUnique({ where: { id } })).toBeNull();
  });

  it("signs out everywhere: every session of the account ends, other accounts' stay", async () => {
    const a = cookieOf(await attempt("dso-rheintal", DEMO_PASSWORD, freshAddress()));
    const b = cookieOf(await attempt("dso-rheintal", DEMO_PASSWORD, freshAddress()));
    const other = cookieOf(await attempt("tso", DEMO_PASSWORD, freshAddress()));
    const res = await signoutAll.POST(apiRequest("POST", "/api/auth/signout-all", { cookie: a }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ended: 2 });
    expect(res.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    for (const c of [a, b]) expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie: c }))).status).toBe(401);
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie: other }))).status).toBe(200);
    expect((await signoutAll.POST(apiRequest("POST", "/api/auth/signout-all", { cookie: a }))).status).toBe(401);
    const prisma = await getPrisma();
    const user = await prisma.user.findUniqueOrThrow({ where: { username: "dso-rheintal" } });
    expect(await prisma.auditEvent.findMany({ where: { action: "auth.signout_all", outcome: "ok" } })).toMatchObject([{ userId: user.id, ownerId: user.id, outcome: "ok", detail: '{"sessions":2}' }]);
  });

  it("a password change ends the account's other sessions and is audited", async () => {
    const keep = cookieOf(await attempt("agg-evfleet", DEMO_PASSWORD, freshAddress()));
    const other = cookieOf(await attempt("agg-evfleet", DEMO_PASSWORD, freshAddress()));
    const res = await password.POST(
      apiRequest("POST", "/api/auth/password", {
        cookie: keep,
        body: JSON.stringify({ currentPassword: DEMO_PASSWORD, newPassword: "a-new-password-42" }),
        headers: { "content-type": "application/json" },
      }),
    );
    expect(res.status).toBe(200);
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie: keep }))).status).toBe(200);
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie: other }))).status).toBe(401);
    const events = await (await getPrisma()).auditEvent.findMany({ where: { action: "account.password_change" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].detail!)).toEqual({ otherSessionsEnded: 1 });
  });
});
