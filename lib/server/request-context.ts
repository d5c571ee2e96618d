import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { SessionUser } from "@/lib/wire/roles";

/**
 * What the server knows about the request being handled, for the audit trail: its id
 * (the caller's `x-request-id` when it is a plain token, else generated; echoed in the
 * response), the signed-in user once `requireUser` found it, and whether the route
 * already recorded its own refusal (sign-in does, with the account it concerns).
 */
export interface RequestContext {
  requestId: string;
  method: string;
  path: string;
  user: SessionUser | null;
  refusalRecorded: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = "x-request-id";
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is a short token, else a new one. */
function requestIdOf(req: Request): string {
  const given = req.headers.get(REQUEST_ID_HEADER)?.trim();
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

export function runWithRequestContext<T>(req: Request, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
  const ctx: RequestContext = { requestId: requestIdOf(req), method: req.method, path: new URL(req.url).pathname, user: null, refusalRecorded: false };
  return storage.run(ctx, () => fn(ctx));
}

/** The context of the request being handled; undefined outside a route handler (CLI, seeding, tests calling lib/ directly). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
