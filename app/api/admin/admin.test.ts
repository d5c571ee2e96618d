import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { DEMO_PASSWORD } from "@/lib/server/demo-data";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { databaseSnapshot } from "@/lib/testing/db-snapshot";
import * as me from "../auth/me/route";
import * as password from "../auth/password/route";
import * as signin from "../auth/signin/route";
import * as reset from "./users/[id]/password/route";
import * as users from "./users/route";
import type { AccountSummary } from "@/lib/wire/accounts";

useTestDatabase();

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const list = (cookie: string | undefined) => users.GET(apiRequest("GET", "/api/admin/users", { cookie }));
const create = (cookie: string | undefined, body: unknown) => users.POST(apiRequest("POST", "/api/admin/users", { cookie, ...json(body) }));
const resetFor = (cookie: string | undefined, id: string, body: unknown = {}) => reset.POST(apiRequest("POST", `/api/admin/users/${id}/password`, { cookie, ...json(body) }), routeContext({ id }));
const change = (cookie: string | undefined, body: unknown) => password.POST(apiRequest("POST", "/api/auth/password", { cookie, ...json(body) }));

async function signInAs(username: string, pw: string): Promise<{ status: number; cookie: string }> {
  const res = await signin.POST(apiRequest("POST", "/api/auth/signin", json({ username, password: pw })));
  return { status: res.status, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] };
}
const whoami = async (cookie: string) => (await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status;

describe("the administrator manages accounts", () => {
  it("is the only role that lists, creates or resets accounts; nothing changes for the others", async () => {
    const anyId = (await (await getPrisma()).user.findFirstOrThrow()).id;
    const before = await databaseSnapshot();
    for (const res of [await list(undefined), await create(undefined, {}), await resetFor(undefined, anyId)]) expect(res.status).toBe(401);
    for (const username of ["tso", "dso-bergwald", "agg-evfleet"]) {
      const cookie = await sessionCookie(username);
      for (const res of [await list(cookie), await create(cookie, { username: "x-new", displayName: "X", role: "ADMIN" }), await resetFor(cookie, anyId)]) {
        expect(res.status, username).toBe(403);
        expect(((await res.json()) as { error: string }).error).toMatch(/needs the ADMIN role/);
      }
    }
    const after = await databaseSnapshot();
    expect({ ...after, Session: [] }).toEqual({ ...before, Session: [] });
  });

  it("creates an account with a generated password shown once, which then signs in", async () => {
    const admin = await sessionCookie("admin");
    const res = await create(admin, { username: "dso-seetal", displayName: "Seetal Netz", role: "DSO" });
    expect(res.status).toBe(201);
    const { account, password: pw } = (await res.json()) as { account: AccountSummary; password: string };
    expect(account).toMatchObject({ username: "dso-seetal", displayName: "Seetal Netz", role: "DSO", activeSessions: 0 });
    expect(pw).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const row = await (await getPrisma()).user.findUniqueOrThrow({ where: { username: "dso-seetal" } });
    expect(row.passwordHash).not.toContain(pw);
    const signed = await signInAs("dso-seetal", pw);
    expect(signed.status).toBe(200);
    const listed = (await (await list(admin)).json()) as { accounts: AccountSummary[] };
    expect(listed.accounts.find((a) => a.username === "dso-seetal")).toMatchObject({ role: "DSO", activeSessions: 1 });
    expect(JSON.stringify(listed)).not.toMatch(/scrypt/);
  });

  it("refuses taken names, bad names, unknown roles and weak passwords, naming the field", async () => {
    const admin = await sessionCookie("admin");
    const before = await databaseSnapshot();
    for (const [body, status, message] of [
      [{ username: "tso", displayName: "Again", role: "TSO" }, 409, /^username: 'tso' is taken$/],
      [{ username: "Bad Name", displayName: "X", role: "TSO" }, 400, /^username: use 2 to 40 lower-case letters/],
      [{ username: "ok-name", displayName: "X", role: "ROOT" }, 400, /^role: one of TSO, DSO, AGGREGATOR, ADMIN/],
      [{ username: "ok-name", displayName: "X", role: "TSO", password: "short" }, 400, /^password: a password needs at least 10 characters$/],
      [{ username: "ok-name", displayName: "X", role: "TSO", password: "ok-name-and-more" }, 400, /^password: a password must not contain the user name$/],
      [{ username: "ok-name", displayName: "X\u0007", role: "TSO" }, 400, /^displayName: no control characters$/],
    ] as const) {
      const res = await create(admin, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const after = await databaseSnapshot();
    expect({ ...after, Session: [] }).toEqual({ ...before, Session: [] });
  });

  it("resets another account's password and signs it out everywhere; its own only on the account page", async () => {
    const admin = await sessionCookie("admin");
    const victim = await signInAs("agg-heatflex", DEMO_PASSWORD);
    expect(await whoami(victim.cookie)).toBe(200);
    const id = (await (await getPrisma()).user.findUniqueOrThrow({ where: { username: "agg-heatflex" } })).id;
    const res = await resetFor(admin, id);
    expect(res.status).toBe(200);
    const { username, password: pw } = (await res.json()) as { username: string; password: string };
    expect(username).toBe("agg-heatflex");
    expect(await whoami(victim.cookie)).toBe(401);
    expect((await signInAs("agg-heatflex", DEMO_PASSWORD)).status).toBe(401);
    expect((await signInAs("agg-heatflex", pw)).status).toBe(200);
    const chosen = await resetFor(admin, id, { password: "a chosen passphrase" });
    expect(((await chosen.json()) as { password: string | null }).password).toBeNull();
    expect((await signInAs("agg-heatflex", "a chosen passphrase")).status).toBe(200);

    const adminId = (await (await getPrisma()).user.findUniqueOrThrow({ where: { username: "admin" } })).id;
    const self = await resetFor(admin, adminId);
    expect(self.status).toBe(400);
    expect(((await self.json()) as { error: string }).error).toMatch(/change your own password on your account page/);
    expect((await resetFor(admin, "no-such-id")).status).toBe(404);
  });
});

describe("every operator changes its own password", () => {
  it("needs the current password, a good new one, and ends the account's other sessions but not this one", async () => {
    const here = await signInAs("dso-rheintal", DEMO_PASSWORD);
    const elsewhere = await signInAs("dso-rheintal", DEMO_PASSWORD);
    for (const [body, message] of [
      [{ currentPassword: "wrong", newPassword: "a long new passphrase" }, /^currentPassword: this is not your current password$/],
      [{ currentPassword: DEMO_PASSWORD, newPassword: "short" }, /^newPassword: a password needs at least 10 characters$/],
      [{ currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD }, /^newPassword: choose a password different/],
      [{ currentPassword: DEMO_PASSWORD }, /^newPassword: /],
    ] as const) {
      const res = await change(here.cookie, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect((await change(undefined, { currentPassword: DEMO_PASSWORD, newPassword: "a long new passphrase" })).status).toBe(401);
    const ok = await change(here.cookie, { currentPassword: DEMO_PASSWORD, newPassword: "a long new passphrase" });
    expect(ok.status).toBe(200);
    expect(await whoami(here.cookie)).toBe(200);
    expect(await whoami(elsewhere.cookie)).toBe(401);
    expect((await signInAs("dso-rheintal", DEMO_PASSWORD)).status).toBe(401);
    expect((await signInAs("dso-rheintal", "a long new passphrase")).status).toBe(200);
    const row = await (await getPrisma()).user.findUniqueOrThrow({ where: { username: "dso-rheintal" } });
    expect(row.passwordChangedAt).toBeInstanceOf(Date);
  });
});

describe("expired sessions", () => {
  it("are purged from the database on the next sign-in, not only refused", async () => {
    const prisma = await getPrisma();
    const old = await signInAs("agg-solarpool", DEMO_PASSWORD);
    await prisma.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await prisma.session.count();
    expect(expired).toBeGreaterThan(1);
    await signInAs("tso", DEMO_PASSWORD);
    expect(await prisma.session.count()).toBe(1);
    expect(await whoami(old.cookie)).toBe(401);
  });
});
