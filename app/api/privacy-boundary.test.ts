import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { getPrisma } from "@/lib/server/db";
import { parseGridFile, parseNetworkJson, writeNetworkJson } from "@/lib/grid";
import { readSharedCase } from "@/lib/testing/shared";
import { DEMO_GRIDS } from "@/lib/server/demo-data";
import { storeDemoLayout } from "@/lib/server/grid-layouts";
import { computeLayout } from "@/lib/layout";
import { storedLayoutOf } from "@/lib/layout/json";
import { DEMO_PASSWORD } from "@/lib/server/demo-data";
import { portfolioTemplate } from "@/lib/server/portfolio-template";
import { apiRequest, gridForm, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { databaseSnapshot } from "@/lib/testing/db-snapshot";
import { districtToGeoJson, generateDistrict } from "@/lib/district";
import { bcmRunSchema } from "@/lib/server/bcm";
import { setPointAnswerSchema } from "@/lib/server/coordination";
import { coordinationRunSchema } from "@/lib/wire/coordination";
import { runInputSchema } from "@/lib/wire/dso";
import { resetPasswordSchema } from "./admin/users/[id]/password/schema";
import { createAccountSchema } from "./admin/users/schema";
import { changePasswordSchema } from "./auth/password/schema";
import { signInSchema } from "./auth/signin/schema";
import { demoModeSchema } from "./grids/[id]/demo-mode/schema";
import { moveBusesSchema, putLayoutSchema } from "./grids/[id]/layout/schema";
import { regionUploadSchema } from "./grids/[id]/regions/schema";
import { renameGridSchema } from "./grids/[id]/schema";
import { openClearingSchema } from "./tso/clearings/schema";
import { relinearizeSchema } from "./tso/relinearize/schema";
import { runSchema } from "./tso/runs/schema";
import { validateSchema } from "./tso/validate/schema";

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
  await storeDemoLayout(prisma, gridId, storedLayoutOf(computeLayout(parseNetworkJson(grid.networkJson))));
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

const WRITE_METHODS = new Set<string>(["POST", "PUT", "PATCH"]);

/** What a request body is built from: the id in every dynamic segment and the signed-in caller. */
interface ExampleContext {
  id: string;
  username: string;
}

/**
 * A body that passes the route's own validation, so that a route that leaked only on
 * valid input would be caught. `schema` is the route's zod schema and `json` a body it
 * accepts (checked below); multipart uploads and bodiless routes give `body` and say
 * where their validation lives.
 */
type Example = { schema: z.ZodType; json: (c: ExampleContext) => unknown | Promise<unknown> } | { doc: string; body: (c: ExampleContext) => BodyInit | undefined | Promise<BodyInit | undefined> };

const json = (schema: z.ZodType, build: (c: ExampleContext) => unknown | Promise<unknown>): Example => ({ schema, json: build });
const upload = (doc: string, body: (c: ExampleContext) => BodyInit | undefined | Promise<BodyInit | undefined>): Example => ({ doc, body });

const DISTRICT = districtToGeoJson(generateDistrict({ seed: 3, buildings: 30 }));
const vectors = { locationMw: [0.1, 0], locationMvar: [0, 0] };

/** One valid example body per state-changing route, keyed "METHOD path below app/api". */
const EXAMPLES: Record<string, Example> = {
  "POST admin/users/[id]/password/route.ts": json(resetPasswordSchema, () => ({ password: "a-new-password-123" })),
  "POST admin/users/route.ts": json(createAccountSchema, () => ({ username: "privacy-probe", displayName: "Privacy probe", role: "TSO", password: "probe-password-123" })),
  "POST audit/route.ts": upload("the audit trail answers 405 to every write, whatever the body", () => "{}"),
  "PUT audit/route.ts": upload("the audit trail answers 405 to every write, whatever the body", () => "{}"),
  "PATCH audit/route.ts": upload("the audit trail answers 405 to every write, whatever the body", () => "{}"),
  "POST auth/password/route.ts": json(changePasswordSchema, () => ({ currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD })),
  "POST auth/signin/route.ts": json(signInSchema, (c) => ({ username: c.username, password: DEMO_PASSWORD })),
  "POST auth/signout-all/route.ts": upload("no body: ends the caller's sessions", () => undefined),
  "POST auth/signout/route.ts": upload("no body: ends the caller's session", () => undefined),
  "POST bcm/run/route.ts": json(bcmRunSchema, () => ({ requestMw: 0.05 })),
  "PUT grids/[id]/demo-mode/route.ts": json(demoModeSchema, () => ({ demoMode: true })),
  "PUT grids/[id]/layout/route.ts": json(putLayoutSchema, () => ({ layout: { format: "flexplat-layout", version: 1, buses: [] } })),
  "PATCH grids/[id]/layout/route.ts": json(moveBusesSchema, () => ({ moves: [{ busId: 1, x: 0, y: 0 }] })),
  "POST grids/[id]/light-models/[lightModelId]/publish/route.ts": upload("no body: publishes the stored model named in the path", () => undefined),
  "POST grids/[id]/light-models/route.ts": upload("the demo grid's own stored light model and key (lib/server/dso-light-models.ts checks them strictly)", async () => {
    const row = await (await getPrisma()).lightModel.findFirstOrThrow({ where: { gridId }, select: { modelJson: true, keyJson: true } });
    return `{"lightModel":${row.modelJson},"key":${row.keyJson},"publish":false}`;
  }),
  "POST grids/[id]/regions/route.ts": json(regionUploadSchema, async () => ({
    region: JSON.parse(
      (await (await getPrisma()).flexRegion.findFirstOrThrow({ where: { gridId, NOT: { regionJson: "{}" } }, select: { regionJson: true } }).catch(() => ({ regionJson: "{}" }))).regionJson,
    ),
    publish: false,
  })),
  "PATCH grids/[id]/route.ts": json(renameGridSchema, () => ({ name: "Renamed by the privacy scan" })),
  "POST grids/[id]/runs/route.ts": json(runInputSchema, () => ({
    status: "converged",
    converged: true,
    iterations: 3,
    vmMinPu: 0.97,
    vmMinBusId: 2,
    lossPMw: 0.01,
    lossQMvar: 0.005,
    maxLoadingPct: 40,
    solveMs: 1,
  })),
  "PATCH grids/[id]/set-points/[setPointId]/route.ts": json(setPointAnswerSchema, () => ({ status: "rejected", reason: "privacy scan" })),
  "POST grids/from-buildings/route.ts": upload("multipart: a generated district's buildings and streets as GeoJSON (the form's schema.ts)", () => {
    const f = new FormData();
    f.set("buildings", new File([JSON.stringify(DISTRICT.buildings)], "b.geojson"));
    f.set("streets", new File([JSON.stringify(DISTRICT.streets)], "s.geojson"));
    f.set("seed", "3");
    return f;
  }),
  "POST grids/route.ts": upload("multipart: a MATPOWER case file (the grid import)", () => gridForm("case33bw.m", readSharedCase("case33bw"), "Privacy probe feeder")),
  "POST portfolios/route.ts": upload("multipart: the caller's own portfolio template (the same parser and BCM split as an upload)", async (c) => {
    const prisma = await getPrisma();
    const user = await prisma.user.findUniqueOrThrow({ where: { username: c.username } });
    const form = new FormData();
    try {
      const t = await portfolioTemplate(prisma, { id: user.id, username: user.username, role: user.role } as Parameters<typeof portfolioTemplate>[1]);
      form.set("file", new File([t.csv], t.fileName, { type: "text/csv" }));
    } catch {
      // A caller without units of its own gets a template error; the route then refuses it by role.
      form.set("file", new File(["bidId,owner,direction,totalMW,priceEURperMWh,assetId,grid\np,a,up,1,50,u,g\n"], "p.csv", { type: "text/csv" }));
    }
    return form;
  }),
  "POST tso/clearings/route.ts": json(openClearingSchema, () => ({ requestMw: 0.05 })),
  "POST tso/coordination-runs/route.ts": json(coordinationRunSchema, (c) => ({
    transmissionGridId: c.id,
    replaceDemand: false,
    result: { status: "optimal", message: "ok", objective: 1, tsCostPerH: 1, iterations: 3, solveMs: 1, binding: [] },
    setPoints: [{ regionId: "region-privacy", tsBus: 3, label: "x", pMw: 0.1, qMvar: 0, vPu: 1, dsCostPerH: 0, lmpP: 0, lmpQ: 0, onBoundary: false }],
  })),
  "POST tso/relinearize/route.ts": json(relinearizeSchema, (c) => ({ clearingId: "clearing-privacy", lightModelId: c.id, ...vectors, pointIndex: 0, iteration: 1 })),
  "POST tso/runs/route.ts": json(runSchema, (c) => ({
    clearingId: "clearing-privacy",
    requestMw: 0.1,
    verified: false,
    reactive: false,
    status: "optimal",
    message: "ok",
    totalMw: 0.1,
    objectiveEur: 5,
    grids: [{ gridId: c.id, lightModelId: c.id, selectedOperatingPoint: null, selectedLabel: null, ...vectors, totalMw: 0.1 }],
    dispatch: [],
    validation: [],
    iterations: [],
    solveMs: 1,
  })),
  "POST tso/transmission-grids/route.ts": upload("multipart: a MATPOWER case file (the transmission-grid import)", () => gridForm("case30.m", readSharedCase("case30"), "Privacy probe transmission")),
  "POST tso/validate/route.ts": json(validateSchema, (c) => ({ clearingId: "clearing-privacy", iteration: 1, grids: [{ lightModelId: c.id, selectedIndex: 0, ...vectors, reactive: false }] })),
};

async function exampleBody(key: string, c: ExampleContext): Promise<{ body: BodyInit | undefined; headers: Record<string, string> }> {
  const ex = EXAMPLES[key];
  if (!ex) throw new Error(`${key}: no example body in EXAMPLES`);
  if ("schema" in ex) return { body: JSON.stringify(await ex.json(c)), headers: { "content-type": "application/json" } };
  return { body: await ex.body(c), headers: {} };
}

/** Sessions change on every call (a fresh one per call, sign-outs); the snapshot leaves the audit trail and sign-in throttling out already. */
async function stateSnapshot(): Promise<Record<string, unknown[]>> {
  const { Session: _, ...rest } = await databaseSnapshot();
  return rest;
}

/** Models a valid body may add rows to, parents first (children go with them: onDelete Cascade). */
const MODELS = ["user", "grid", "transmissionGrid", "lightModel", "flexRegion", "coordinationRun", "setPoint", "bidPortfolio", "clearingRun", "tsoClearing", "tsoRequest", "powerFlowRun"] as const;
type IdModel = { findMany: (a: unknown) => Promise<{ id: string }[]>; deleteMany: (a: unknown) => Promise<unknown> };

interface Saved {
  ids: Map<string, string[]>;
  users: { id: string; passwordHash: string }[];
  grids: { id: string; name: string; demoMode: boolean; publishedName: string | null }[];
}

async function saveState(): Promise<Saved> {
  const prisma = await getPrisma();
  const ids = new Map<string, string[]>();
  for (const m of MODELS)
    ids.set(
      m,
      (await (prisma[m] as unknown as IdModel).findMany({ select: { id: true } })).map((r) => r.id),
    );
  const users = await prisma.user.findMany({ select: { id: true, passwordHash: true } });
  const grids = await prisma.grid.findMany({ select: { id: true, name: true, demoMode: true, publishedName: true } });
  return { ids, users, grids };
}

/**
 * Put back what a valid body changed where the route let the caller change it (the
 * administrator creating an account or resetting a password, an aggregator storing a
 * portfolio, the TSO opening a clearing, demo mode switched for the scan): rows added
 * are deleted, changed passwords and grid flags rewritten.
 */
async function restoreState(saved: Saved): Promise<void> {
  const prisma = await getPrisma();
  for (const m of MODELS) await (prisma[m] as unknown as IdModel).deleteMany({ where: { id: { notIn: saved.ids.get(m) } } });
  for (const u of saved.users) await prisma.user.updateMany({ where: { id: u.id, NOT: { passwordHash: u.passwordHash } }, data: { passwordHash: u.passwordHash } });
  for (const g of saved.grids) await prisma.grid.update({ where: { id: g.id }, data: { name: g.name, demoMode: g.demoMode, publishedName: g.publishedName } });
}

describe("valid example bodies", () => {
  const files = routeFiles(API_DIR);
  it("every state-changing route has one, and each JSON example passes its route's schema", async () => {
    const missing: string[] = [];
    for (const file of files) {
      const rel = relative(API_DIR, file);
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      for (const m of METHODS) if (WRITE_METHODS.has(m) && mod[m] && !EXAMPLES[`${m} ${rel}`]) missing.push(`${m} ${rel}`);
    }
    expect(missing, "state-changing routes without an example body in EXAMPLES").toEqual([]);
    for (const [key, ex] of Object.entries(EXAMPLES)) {
      if (!("schema" in ex)) continue;
      const res = ex.schema.safeParse(await ex.json({ id: gridId, username: "tso" }));
      expect(res.success, `${key}: ${res.success ? "" : JSON.stringify(res.error.issues[0])}`).toBe(true);
    }
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
      const before = await stateSnapshot();
      const saved = await saveState();
      try {
        if (DEMO_MODE_ROUTES.has(rel)) await prisma.grid.update({ where: { id: gridId }, data: { demoMode: false } });
        const path = `/api/${rel.replace(/\/?route\.ts$/, "").replace(/\[(\w+)\]/g, gridId)}`;
        for (const [who, username] of Object.entries(CALLERS)) {
          for (const method of METHODS) {
            const handler = mod[method];
            if (!handler) continue;
            // A fresh session per call: a sign-out route must not end the session the next call uses.
            const cookie = await sessionCookie(username);
            const { body, headers } = WRITE_METHODS.has(method) ? await exampleBody(`${method} ${rel}`, { id: gridId, username }) : { body: undefined, headers: {} };
            const res = await handler(apiRequest(method, path, { cookie, body, headers }), routeContext(Object.fromEntries(segments.map((s) => [s, gridId]))));
            const text = await res.text();
            expect(res.status, `${who} ${method} ${path}: the caller is signed in`).not.toBe(401);
            for (const marker of PRIVATE_MARKERS) expect(text, `${who} ${method} ${path} → ${res.status}`).not.toContain(marker);
          }
        }
      } finally {
        await restoreState(saved);
      }
      expect(await stateSnapshot(), "the scan left the database as it found it").toEqual(before);
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
      const path = `/api/${rel.replace(/\/?route\.ts$/, "").replace(/\[(\w+)\]/g, transmissionGridId)}`;
      const before = await stateSnapshot();
      const saved = await saveState();
      try {
        for (const [who, username] of Object.entries(OTHERS)) {
          for (const method of METHODS) {
            const handler = mod[method];
            if (!handler) continue;
            const cookie = await sessionCookie(username);
            const { body, headers } = WRITE_METHODS.has(method) ? await exampleBody(`${method} ${rel}`, { id: transmissionGridId, username }) : { body: undefined, headers: {} };
            const res = await handler(apiRequest(method, path, { cookie, body, headers }), routeContext(Object.fromEntries(segments.map((s) => [s, transmissionGridId]))));
            const text = await res.text();
            for (const marker of ['"flexplat-network"', '"rPu"', '"xPu"', '"baseMVA"']) expect(text, `${who} ${method} ${path} → ${res.status}`).not.toContain(marker);
          }
        }
      } finally {
        await restoreState(saved);
      }
      expect(await stateSnapshot(), "the scan left the database as it found it").toEqual(before);
    });
  }
});
