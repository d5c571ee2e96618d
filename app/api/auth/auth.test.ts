import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/server/demo-data";
import { SESSION_COOKIE, signSessionId } from "@/lib/server/session";
import { apiRequest, useTestDatabase } from "@/lib/server/test-harness";
import * as me from "./me/route";
import * as signin from "./signin/route";
import * as signout from "./signout/route";

useTestDatabase();

function signInRequest(body: unknown) {
  return apiRequest("POST", "/api/auth/signin", { body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}

function cookieOf(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  return set.split(";")[0];
}

describe("sign-in, session cookie and sign-out", () => {
  it("signs every demo account in with the demo password and reports its role", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const res = await signin.POST(signInRequest({ username: account.username, password: DEMO_PASSWORD }));
      expect(res.status, account.username).toBe(200);
      const { user } = (await res.json()) as { user: { username: string; role: string; displayName: string } };
      expect(user).toMatchObject(account);
      const whoami = await me.GET(apiRequest("GET", "/api/auth/me", { cookie: cookieOf(res) }));
      expect(((await whoami.json()) as { user: { role: string } }).user.role).toBe(account.role);
    }
  });

  it("sets an httpOnly, SameSite=Lax cookie that carries no user data", async () => {
    const res = await signin.POST(signInRequest({ username: "tso", password: DEMO_PASSWORD }));
    const set = res.headers.get("set-cookie") ?? "";
    expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+; Path=/; HttpOnly; SameSite=Lax; Expires=`));
    expect(set).not.toMatch(/tso|TSO/);
    expect(set).not.toMatch(/Secure/);
    const https = await signin.POST(new Request("https://flex.example/api/auth/signin", { method: "POST", body: JSON.stringify({ username: "tso", password: DEMO_PASSWORD }) }));
    expect(https.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("refuses wrong passwords and unknown users alike, and names missing fields", async () => {
    for (const body of [{ username: "tso", password: "wrong" }, { username: "nobody", password: DEMO_PASSWORD }]) {
      const res = await signin.POST(signInRequest(body));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "unknown user name or wrong password", code: "unauthorized" });
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    const missing = await signin.POST(signInRequest({ username: "tso" }));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toMatch(/^password: /);
    const notJson = await signin.POST(apiRequest("POST", "/api/auth/signin", { body: "username=tso" }));
    expect(((await notJson.json()) as { error: string }).error).toBe("the request body is not valid JSON");
  });

  it("refuses forged, tampered and expired session cookies", async () => {
    const res = await signin.POST(signInRequest({ username: "dso-bergwald", password: DEMO_PASSWORD }));
    const cookie = cookieOf(res);
    const token = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
    const [id] = token.split(".");
    const forged = [`${id}.AAAA`, `${id}x.${token.split(".")[1]}`, signSessionId(id, "another-secret-another-secret-another"), "garbage"];
    for (const t of forged) {
      const r = await me.GET(apiRequest("GET", "/api/auth/me", { cookie: `${SESSION_COOKIE}=${encodeURIComponent(t)}` }));
      expect(r.status, t).toBe(401);
    }
    const prisma = await getPrisma();
    await prisma.session.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status).toBe(401);
    expect(await prisma.session.findUnique({ where: { id } })).toBeNull();
  });

  it("ends the session on sign-out, so the old cookie no longer works", async () => {
    const res = await signin.POST(signInRequest({ username: "agg-evfleet", password: DEMO_PASSWORD }));
    const cookie = cookieOf(res);
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status).toBe(200);
    const out = await signout.POST(apiRequest("POST", "/api/auth/signout", { cookie }));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await me.GET(apiRequest("GET", "/api/auth/me", { cookie }))).status).toBe(401);
  });
});
