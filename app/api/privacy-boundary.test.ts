import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { parseGridFile, parseNetworkJson, writeNetworkJson } from "@/lib/grid";
import { readSharedCase } from "@/lib/testing/shared";
import { DEMO_GRIDS } from "@/lib/server/demo-data";
import { layoutForDemo } from "@/lib/server/grid-layouts";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";

useTestDatabase();

const API_DIR = join(process.cwd(), "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** Field names of the project network format and of a grid's stored schematic layout (lib/layout/json.ts) that only a DSO may see. */
const PRIVATE_MARKERS = ['"rPu"', '"xPu"', '"lon"', '"lat"', '"pdMw"', '"geometry"', '"flexplat-network"', '"buildingId"', '"flexplat-layout"', '"busIds"', '"pShare"', '"optionsJson"'];

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return name === "route.ts" ? [path] : [];
  });
}

/**
 * Routes that show a DSO grid to the TSO or to aggregators only while its DSO has
 * switched on the labelled demonstrator mode (Grid.demoMode, on for the seeded demo):
 * scanned with demo mode off, when they must serve nothing of the grid.
 */
const DEMO_MODE_ROUTES = new Set(["tso/grids/[id]/demo-map/route.ts", "bcm/grids/[id]/map/route.ts"]);

let gridId: string;
let transmissionGridId: string;
const CALLERS = { tso: "tso", aggregator: "agg-heatflex", administrator: "admin" } as const;

beforeAll(async () => {
  const prisma = await getPrisma();
  const grid = await prisma.grid.findFirstOrThrow({ where: { name: DEMO_GRIDS[0].name } });
  gridId = grid.id;
  // The grid carries a stored schematic layout too, so a route leaking it would be caught.
  await layoutForDemo(prisma, gridId, parseNetworkJson(grid.networkJson));
  // A coordination in flight: the TSO's transmission grid, a published region of the DSO grid
  // with its private problem options, a run and a set-point (routes leaking any would be caught).
  const tso = await prisma.user.findUniqueOrThrow({ where: { username: "tso" } });
  const ts = parseGridFile("case30.m", readSharedCase("case30"));
  transmissionGridId = "ts-grid-privacy";
  await prisma.transmissionGrid.create({
    data: { id: transmissionGridId, ownerId: tso.id, name: "case30", sourceFormat: "matpower", busCount: 30, branchCount: 41, generatorCount: 6, networkJson: writeNetworkJson(ts) },
  });
  const region = await prisma.flexRegion.create({
    data: {
      id: "region-privacy",
      gridId,
      kind: "pq",
      method: "lds",
      regionJson: "{}",
      optionsJson: JSON.stringify({ kind: "pq", units: "auto", der: { pShare: 0.25, qShare: 0.15 }, closeTies: false }),
      size: 1,
      published: false,
    },
  });
  await prisma.coordinationRun.create({ data: { id: "run-privacy", createdById: tso.id, transmissionGridId, status: "optimal", objective: 1, tsCostPerH: 1, resultJson: "{}" } });
  await prisma.setPoint.create({
    data: { id: "sp-privacy", runId: "run-privacy", regionId: region.id, gridId, tsBus: 3, label: "x", pMw: 1, qMvar: 0, vPu: 1, dsCostPerH: 0, lmpP: 0, lmpQ: 0, onBoundary: false },
  });
});

// Every route handler in app/api, today's and those later issues add, called by the
// TSO, by an aggregator and by the accounts administrator with a DSO grid's id in
// every dynamic segment: none may answer with the grid's topology, impedances,
// coordinates or loads.
describe("privacy boundary across all API routes", () => {
  const files = routeFiles(API_DIR);

  it("finds the grid routes (so the scan below is not empty)", () => {
    const rel = files.map((f) => relative(API_DIR, f));
    expect(rel).toEqual(expect.arrayContaining(["grids/route.ts", "grids/[id]/route.ts", "grids/[id]/network/route.ts"]));
  });

  for (const file of files) {
    const rel = relative(API_DIR, file);
    it(`${rel} serves no DSO grid internals to the TSO, an aggregator or the administrator`, async () => {
      const mod = (await import(/* @vite-ignore */ file)) as Partial<Record<(typeof METHODS)[number], (req: Request, ctx: unknown) => Promise<Response>>>;
      const segments = [...rel.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
      const prisma = await getPrisma();
      if (DEMO_MODE_ROUTES.has(rel)) await prisma.grid.update({ where: { id: gridId }, data: { demoMode: false } });
      const path = "/api/" + rel.replace(/\/?route\.ts$/, "").replace(/\[(\w+)\]/g, gridId);
      for (const [who, username] of Object.entries(CALLERS)) {
        for (const method of METHODS) {
          const handler = mod[method];
          if (!handler) continue;
          // A fresh session per call: a sign-out route must not end the session the next call uses.
          const cookie = await sessionCookie(username);
          const body = method === "GET" || method === "DELETE" ? undefined : "{}";
          const res = await handler(
            apiRequest(method, path, { cookie, body, headers: body ? { "content-type": "application/json" } : {} }),
            routeContext(Object.fromEntries(segments.map((s) => [s, gridId]))),
          );
          const text = await res.text();
          expect(res.status, `${who} ${method} ${path}: the caller is signed in`).not.toBe(401);
          for (const marker of PRIVATE_MARKERS) expect(text, `${who} ${method} ${path} → ${res.status}`).not.toContain(marker);
        }
      }
      if (DEMO_MODE_ROUTES.has(rel)) await prisma.grid.update({ where: { id: gridId }, data: { demoMode: true } });
      expect(await prisma.grid.findUnique({ where: { id: gridId } })).not.toBeNull();
    });
  }
});

// The other direction: the TSO's transmission grid (issue 13) is the TSO's own. Every route,
// called by each DSO and an aggregator with the transmission grid's id in every dynamic
// segment, answers without any of it.
describe("the TSO's transmission grid across all API routes", () => {
  const files = routeFiles(API_DIR);
  const OTHERS = { bergwald: "dso-bergwald", rheintal: "dso-rheintal", aggregator: "agg-heatflex" } as const;
  for (const file of files) {
    const rel = relative(API_DIR, file);
    it(`${rel} serves nothing of the TSO's transmission grid to a DSO or an aggregator`, async () => {
      const mod = (await import(/* @vite-ignore */ file)) as Partial<Record<(typeof METHODS)[number], (req: Request, ctx: unknown) => Promise<Response>>>;
      const segments = [...rel.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
      const path = "/api/" + rel.replace(/\/?route\.ts$/, "").replace(/\[(\w+)\]/g, transmissionGridId);
      for (const [who, username] of Object.entries(OTHERS)) {
        for (const method of METHODS) {
          const handler = mod[method];
          if (!handler) continue;
          const cookie = await sessionCookie(username);
          const body = method === "GET" || method === "DELETE" ? undefined : "{}";
          const res = await handler(
            apiRequest(method, path, { cookie, body, headers: body ? { "content-type": "application/json" } : {} }),
            routeContext(Object.fromEntries(segments.map((s) => [s, transmissionGridId]))),
          );
          const text = await res.text();
          for (const marker of ['"flexplat-network"', '"rPu"', '"xPu"', '"baseMVA"']) expect(text, `${who} ${method} ${path} → ${res.status}`).not.toContain(marker);
        }
      }
      expect(await (await getPrisma()).transmissionGrid.findUnique({ where: { id: transmissionGridId } })).not.toBeNull();
    });
  }
});
