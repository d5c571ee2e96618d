import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditEventsCsv, recordAudit } from "@/lib/server/audit";
import { getPrisma } from "@/lib/server/db";
import { apiRequest, gridForm, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { readSharedCase } from "@/lib/testing/shared";
import { readCsvCell, readCsvRows } from "@/lib/util/csv";
import * as signin from "../auth/signin/route";
import * as demoMode from "../grids/[id]/demo-mode/route";
import * as grids from "../grids/route";
import * as portfolio from "../portfolios/[id]/route";
import * as csvRoute from "../audit.csv/route";
import * as audit from "./route";
import type { AuditEventView } from "@/lib/wire/accounts";

useTestDatabase();

type Page = { events: AuditEventView[]; page: number; pageSize: number; total: number };

async function eventsOf(cookie: string, query = "pageSize=200"): Promise<AuditEventView[]> {
  const res = await audit.GET(apiRequest("GET", `/api/audit?${query}`, { cookie }));
  expect(res.status).toBe(200);
  return ((await res.json()) as Page).events;
}

describe("audit trail", () => {
  it("records uploads and demo-mode changes with the change, and shows each operator only its own objects' events", async () => {
    const [bergwald, rheintal, tso, agg, admin] = await Promise.all(["dso-bergwald", "dso-rheintal", "tso", "agg-evfleet", "admin"].map(sessionCookie));
    const prisma = await getPrisma();
    const ids = Object.fromEntries((await prisma.user.findMany({ select: { id: true, username: true } })).map((u) => [u.username, u.id])) as Record<string, string>;

    const up = await grids.POST(
      apiRequest("POST", "/api/grids", { cookie: bergwald, body: gridForm("case33bw.m", readSharedCase("case33bw"), "Audited feeder"), headers: { "x-request-id": "upload-1" } }),
    );
    expect(up.status).toBe(201);
    expect(up.headers.get("x-request-id")).toBe("upload-1");
    const gridId = ((await up.json()) as { grid: { id: string } }).grid.id;
    const bad = await grids.POST(apiRequest("POST", "/api/grids", { cookie: bergwald, body: gridForm("broken.m", "function mpc = broken\nmpc.bus = [1 2;"), headers: { "x-request-id": "upload-2" } }));
    expect(bad.status).toBe(400);
    const toggled = await demoMode.PUT(
      apiRequest("PUT", `/api/grids/${gridId}/demo-mode`, { cookie: bergwald, body: JSON.stringify({ demoMode: true }), headers: { "content-type": "application/json" } }),
      routeContext({ id: gridId }),
    );
    expect(toggled.status).toBe(200);
    // Another DSO trying the same grid: refused, recorded, visible to that DSO (its own action) but not as the owner's.
    const foreign = await demoMode.PUT(
      apiRequest("PUT", `/api/grids/${gridId}/demo-mode`, { cookie: rheintal, body: JSON.stringify({ demoMode: false }), headers: { "content-type": "application/json" } }),
      routeContext({ id: gridId }),
    );
    expect(foreign.status).toBe(403);
    const demoPortfolio = await prisma.bidPortfolio.findFirstOrThrow({ where: { ownerId: ids["agg-evfleet"] } });
    expect((await portfolio.DELETE(apiRequest("DELETE", `/api/portfolios/${demoPortfolio.id}`, { cookie: agg }), routeContext({ id: demoPortfolio.id }))).status).toBe(204);

    expect(await prisma.auditEvent.findMany({ where: { requestId: "upload-1" } })).toMatchObject([
      { action: "grid.upload", outcome: "ok", objectType: "grid", objectId: gridId, ownerId: ids["dso-bergwald"], userId: ids["dso-bergwald"], username: "dso-bergwald", role: "DSO" },
    ]);
    expect(await prisma.auditEvent.findMany({ where: { requestId: "upload-2" } })).toMatchObject([{ action: "grid.upload", outcome: "refused", objectId: null }]);

    const own = await eventsOf(bergwald);
    expect(own.map((e) => e.action)).toEqual(expect.arrayContaining(["grid.upload", "grid.demo_mode", "auth.signin"]));
    expect(own.find((e) => e.action === "grid.demo_mode")).toMatchObject({ objectId: gridId, outcome: "ok", detail: { demoMode: true, name: "Audited feeder" } });
    expect(own.every((e) => e.ownerId === ids["dso-bergwald"] || e.userId === ids["dso-bergwald"])).toBe(true);

    const other = await eventsOf(rheintal);
    expect(other.some((e) => e.objectId === gridId && e.userId !== ids["dso-rheintal"])).toBe(false);
    expect(other.find((e) => e.action === "grid.demo_mode")).toMatchObject({ outcome: "refused", userId: ids["dso-rheintal"], objectId: gridId, ownerId: null });
    expect((await eventsOf(tso)).some((e) => e.objectId === gridId)).toBe(false);
    const aggEvents = await eventsOf(agg);
    expect(aggEvents.find((e) => e.action === "portfolio.delete")).toMatchObject({ objectId: demoPortfolio.id, ownerId: ids["agg-evfleet"] });
    expect(aggEvents.every((e) => e.ownerId === ids["agg-evfleet"] || e.userId === ids["agg-evfleet"])).toBe(true);
    const all = await eventsOf(admin);
    expect(all.length).toBeGreaterThan(own.length + aggEvents.length);
    expect(all.some((e) => e.action === "portfolio.delete") && all.some((e) => e.action === "grid.upload")).toBe(true);
  });

  it("pages, filters and downloads CSV with formula cells neutralized", async () => {
    const admin = await sessionCookie("admin");
    await signin.POST(apiRequest("POST", "/api/auth/signin", { body: JSON.stringify({ username: "=HYPERLINK(1)", password: "x" }), headers: { "content-type": "application/json" } }));
    const page = (await (await audit.GET(apiRequest("GET", "/api/audit?page=1&pageSize=2&action=auth.signin", { cookie: admin }))).json()) as Page;
    expect(page.events).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    expect(page.events.every((e) => e.action === "auth.signin")).toBe(true);
    expect(page.events[0].at >= page.events[1].at).toBe(true);
    expect((await audit.GET(apiRequest("GET", "/api/audit?pageSize=1000", { cookie: admin }))).status).toBe(400);
    expect((await audit.GET(apiRequest("GET", "/api/audit"))).status).toBe(401);

    for (const res of [
      await audit.GET(apiRequest("GET", "/api/audit?format=csv&outcome=refused", { cookie: admin })),
      await csvRoute.GET(apiRequest("GET", "/api/audit.csv?outcome=refused", { cookie: admin })),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="flexplat-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
      const lines = (await res.text()).trim().split("\r\n");
      expect(lines[0]).toBe("at,username,role,action,objectType,objectId,ownerId,outcome,requestId,detail");
      expect(lines.some((l) => l.includes(",'=HYPERLINK(1),"))).toBe(true);
      expect(lines.slice(1).every((l) => l.includes(",refused,"))).toBe(true);
    }
  });

  it("exports a user name with commas, quotes and a line break and a detail with quotes so that they read back (also with a BOM and CRLF)", async () => {
    const prisma = await getPrisma();
    const username = '=x, "y"\nz';
    await recordAudit(prisma, { action: "auth.signin", objectType: "session", outcome: "refused", actor: null, username, detail: { reason: 'bad "password", twice' } });
    const csv = await auditEventsCsv(prisma, { id: "nobody", role: "ADMIN" }, { outcome: "refused" });
    const rows: string[][] = [];
    readCsvRows(`\uFEFF${csv}`, (r) => rows.push(r.cells.map(readCsvCell)));
    const col = Object.fromEntries(rows[0].map((c, k) => [c, k]));
    const mine = rows.filter((r) => r[col.username] === username);
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0][col.detail])).toEqual({ reason: 'bad "password", twice' });
    expect(csv).toContain(`"'=x, ""y""\nz"`);
  });

  it("cannot be changed through the API: PUT, PATCH, DELETE and POST answer 405", async () => {
    const admin = await sessionCookie("admin");
    const prisma = await getPrisma();
    for (const method of ["PUT", "PATCH", "DELETE", "POST"] as const) {
      const before = await prisma.auditEvent.count();
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the test calls each of the route's method handlers by name; nothing here is bundled
      const res = await audit[method](apiRequest(method, "/api/audit", { cookie: admin, body: method === "DELETE" ? undefined : "{}", headers: { "content-type": "application/json" } }));
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET");
      // The attempt itself is appended; nothing was removed.
      expect(await prisma.auditEvent.count()).toBe(before + 1);
    }
    expect(Object.keys(csvRoute)).toEqual(["GET"]);
  });

  it("is never updated or deleted by any code path (source check)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx|mjs|sql)$/.test(name) && !/\.test\.ts$/.test(name)) {
          const text = readFileSync(path, "utf8");
          if (/auditEvent\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b/.test(text) || /(UPDATE|DELETE FROM)\s+"?AuditEvent/i.test(text)) offenders.push(path);
        }
      }
    };
    for (const dir of ["app", "lib", "components", "scripts"]) walk(join(process.cwd(), dir));
    walk(join(process.cwd(), "prisma"));
    expect(offenders).toEqual([]);
  });
});
