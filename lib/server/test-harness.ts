import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { TEST_SESSION_SECRET } from "@/lib/testing/demo-template";
import type { AggregatedBid } from "@/lib/market";
import { getPrisma } from "./db";
import { publishedDsoSides } from "./market";
import { storePortfolio } from "./portfolio-store";
import { DEMO_PASSWORD } from "./demo-data";
import { SESSION_COOKIE } from "./session";
import { signIn } from "./sign-in";

/**
 * Point the server at a fresh SQLite file (and secret) for the tests of one file; demo mode
 * (seeded) unless told otherwise. A demo database starts as a copy of the template the
 * globalSetup seeded once (lib/testing/demo-template.ts); `fresh` seeds its own instead.
 */
export function useTestDatabase(opts: { demo?: boolean; fresh?: boolean } = {}): { readonly dir: string } {
  const state = { dir: "" };
  beforeAll(() => {
    state.dir = mkdtempSync(join(tmpdir(), "flexplat-api-"));
    const file = join(state.dir, "test.db");
    const demo = opts.demo !== false;
    const template = demo && !opts.fresh ? inject("demoTemplate") : undefined;
    if (template) copyFileSync(template, file);
    process.env.FLEXPLAT_DB_PATH = file;
    process.env.FLEXPLAT_DEMO = demo ? "1" : "0";
    process.env.SESSION_SECRET = TEST_SESSION_SECRET;
  });
  afterAll(async () => {
    // A test may have left the server refusing its database (deployment tests): nothing to disconnect then.
    await (await getPrisma().catch(() => null))?.$disconnect();
    rmSync(state.dir, { recursive: true, force: true });
  });
  return state;
}

/** Cookie header of a fresh session of a demo account. */
export async function sessionCookie(username: string): Promise<string> {
  const { token } = await signIn(await getPrisma(), username, DEMO_PASSWORD);
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}`;
}

export function apiRequest(method: string, path: string, init: { cookie?: string; body?: BodyInit; headers?: Record<string, string> } = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  return new Request(`http://localhost${path}`, { method, body: init.body, headers });
}

export function routeContext<P extends Record<string, string>>(params: P): { params: Promise<P> } {
  return { params: Promise.resolve(params) };
}

export function gridForm(fileName: string, text: string, name?: string): FormData {
  const form = new FormData();
  form.set("file", new File([text], fileName, { type: "text/plain" }));
  if (name) form.set("name", name);
  return form;
}

/**
 * Take units out of an aggregator's stored portfolio (deleted and stored again with
 * the same name, through the upload's checks), so a test can offer them elsewhere: a
 * unit's volume is capped over all portfolios. Bids left without assets are dropped.
 */
export async function freeUnits(username: string, portfolioName: string, unitIds: Set<string>): Promise<void> {
  const prisma = await getPrisma();
  const owner = await prisma.user.findUniqueOrThrow({ where: { username }, select: { id: true, username: true } });
  const row = await prisma.bidPortfolio.findFirstOrThrow({ where: { ownerId: owner.id, name: portfolioName } });
  const bids = (JSON.parse(row.bidsJson) as AggregatedBid[]).flatMap((b) => {
    const assets = b.assets.filter((a) => !unitIds.has(a.assetId));
    if (assets.length === b.assets.length) return [b];
    if (assets.length === 0 || assets.some((a) => a.volumeMw === undefined)) return [];
    const volumeMw = assets.reduce((s, a) => s + a.volumeMw!, 0);
    const minActivationMw = b.minActivationMw === undefined ? undefined : Math.min(b.minActivationMw, Math.abs(volumeMw));
    return [{ ...b, volumeMw, assets, ...(minActivationMw !== undefined ? { minActivationMw } : {}) }];
  });
  await prisma.bidPortfolio.delete({ where: { id: row.id } });
  await storePortfolio(prisma, owner, bids, { name: row.name, fileName: row.fileName }, await publishedDsoSides(prisma));
}

