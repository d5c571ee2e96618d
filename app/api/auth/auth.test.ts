import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/server/demo-data";
import { SESSION_COOKIE, signSessionId } from "@/lib/server/session";
import { SIGN_IN_FAILED } from "@/lib/server/sign-in";
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
    const https = await signin.POST(
      new Request("https://flex.example/api/auth/signin", { method: "POST", body: JSON.stringify({ username: "tso", password: DEMO_PASSWORD }), headers: { "content-type": "application/json" } }),
    );
    expect(https.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("refuses wrong passwords and unknown users alike, and names missing fields", async () => {
    for (const body of [
      { username: "tso", password: "wrong" },
      { username: "nobody", password: DEMO_PASSWORD },
    ]) {
      const res = await signin.POST(signInRequest(body));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: SIGN_IN_FAILED, code: "unauthorized" });
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    const missing = await signin.POST(signInRequest({ username: "tso" }));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toMatch(/^password: /);
    const notJson = await signin.POST(apiRequest("POST", "/api/auth/signin", { body: "username=tso", headers: { "content-type": "application/json" } }));
    expect(((await notJson.json()) as { error: string }).error).toBe("the request body is not valid JSON");
  });

  it("refuses a cross-site text/plain form (login CSRF) and any request another site's page sends", async () => {
    // The attack: <form enctype="text/plain" action=".../api/auth/signin"> with a field named '{"username":"attacker","password":"…","x":"' .
    const plain = await signin.POST(apiRequest("POST", "/api/auth/signin", { body: `{"username":"tso","password":"${DEMO_PASSWORD}","x":"="}`, headers: { "content-type": "text/plain" } }));
    expect(plain.status).toBe(415);
    expect(await plain.json()).toEqual({ error: "send the request body as JSON (content-type: application/json)", code: "unsupported_media_type" });
    expect(plain.headers.get("set-cookie")).toBeNull();
    const json = { body: JSON.stringify({ username: "tso", password: DEMO_PASSWORD }), headers: { "content-type": "application/json" } };
    for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }] as Record<string, string>[]) {
      const res = await signin.POST(apiRequest("POST", "/api/auth/signin", { ...json, headers: { ...json.headers, host: "localhost", ...headers } }));
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe("requests from other sites are refused; use FlexPlat's own pages");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    const sameOrigin = await signin.POST(
      apiRequest("POST", "/api/auth/signin", { ...json, headers: { ...json.headers, host: "localhost", origin: "http://localhost", "sec-fetch-site": "same-origin" } }),
    );
    expect(sameOrigin.status).toBe(200);
  });

  it("reads at most 4 KB of a sign-in body and refuses larger ones with 413", async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 300 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await signin.POST(new Request("http://localhost/api/auth/signin", { method: "POST", body: endless, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe("the request body is larger than 4 KB, the limit of this route");
    expect(pulled).toBeLessThan(1024 * 1024);
    const declared = await signin.POST(apiRequest("POST", "/api/auth/signin", { body: "{}", headers: { "content-type": "application/json", "content-length": String(300 * 1024 * 1024) } }));
    expect(declared.status).toBe(413);
  });

  it("treats a malformed session cookie as signed out (401, not 500)", async () => {
    for (const value of ["%E0%A4%A", "%", "%zz", "a.b%"]) {
      const r = await me.GET(apiRequest("GET", "/api/auth/me", { cookie: `${SESSION_COOKIE}=${value}` }));
      expect(r.status, value).toBe(401);
      expect(await r.json()).toEqual({ error: "sign in first", code: "unauthorized" });
    }
    const out = await signout.POST(apiRequest("POST", "/api/auth/signout", { cookie: `${SESSION_COOKIE}=%E0%A4%A` }));
    expect(out.status).toBe(200);
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
