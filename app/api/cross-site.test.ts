import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { databaseSnapshot } from "@/lib/testing/db-snapshot";

useTestDatabase();

const API_DIR = join(process.cwd(), "app", "api");
const STATE_CHANGING = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route.ts under app/api, as its URL path ("/api/grids/[id]/layout"). */
function routeFiles(dir = API_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return name === "route.ts" ? [path] : [];
  });
}

function urlPathOf(file: string): string {
  return `/${relative(join(process.cwd(), "app"), file).split(sep).slice(0, -1).join("/")}`;
}

/** A value for every [param] of the path (the check must refuse before the handler ever reads them). */
function paramsOf(path: string): Record<string, string> {
  return Object.fromEntries([...path.matchAll(/\[(\w+)\]/g)].map((m) => [m[1], `probe-${m[1]}`]));
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe("cross-site requests to every state-changing route", () => {
  it("finds the route handlers", () => {
    expect(routeFiles().length).toBeGreaterThan(40);
  });

  it("answers 403 to another site's Origin and to Sec-Fetch-Site cross-site, before any effect", async () => {
    // Each operator's session, so a handler that ran would get past its role check.
    const cookies = await Promise.all(["dso-bergwald", "tso", "agg-solarpool", "admin"].map(sessionCookie));
    const cookie = cookies.join("; ");
    const prisma = await getPrisma();
    const before = await databaseSnapshot();
    const auditBefore = await prisma.auditEvent.count();
    let checked = 0;
    for (const file of routeFiles()) {
      const path = urlPathOf(file);
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of STATE_CHANGING) {
        const handler = mod[method] as Handler | undefined;
        if (!handler) continue;
        const url = path.replace(/\[(\w+)\]/g, "probe-$1");
        for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
          const req = apiRequest(method, url, { cookie, body: method === "DELETE" ? undefined : "{}", headers: { host: "localhost", "content-type": "application/json", ...headers } });
          const res = await handler(req, routeContext(paramsOf(path)));
          expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
          expect(await res.json(), `${method} ${path}`).toMatchObject({ error: "requests from other sites are refused; use FlexPlat's own pages" });
          expect(res.headers.get("set-cookie"), `${method} ${path}`).toBeNull();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2 * 30);
    expect(await databaseSnapshot()).toEqual(before);
    // Each refusal is in the audit trail, and nothing else was written there.
    const refused = await prisma.auditEvent.findMany({ where: { outcome: "refused" }, orderBy: { at: "asc" } });
    expect(await prisma.auditEvent.count()).toBe(auditBefore + checked);
    expect(refused.slice(-checked).every((e) => e.userId === null && JSON.parse(e.detail!).status === 403)).toBe(true);
  });
});
