import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { getPrisma } from "./db";
import { DEMO_PASSWORD } from "./demo-data";
import { SESSION_COOKIE } from "./session";
import { signIn } from "./sign-in";

/** Point the server at a fresh SQLite file (and secret) for the tests of one file; demo mode (seeded) unless told otherwise. */
export function useTestDatabase(opts: { demo?: boolean } = {}): { readonly dir: string } {
  const state = { dir: "" };
  beforeAll(() => {
    state.dir = mkdtempSync(join(tmpdir(), "flexplat-api-"));
    process.env.FLEXPLAT_DB_PATH = join(state.dir, "test.db");
    process.env.FLEXPLAT_DEMO = opts.demo === false ? "0" : "1";
    process.env.SESSION_SECRET = "test-secret-test-secret-test-secret-0123";
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
