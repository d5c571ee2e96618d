import "server-only";
import { unavailableReason, DatabaseUnavailableError } from "@/lib/db/unavailable";
import { isCrossSiteRequest } from "./origin";
import { REQUEST_ID_HEADER, runWithRequestContext, type RequestContext } from "./request-context";
import { ApiError, type ApiErrorCode } from "./api-error";

// ApiError lives in its own module so the modules that throw it (grids, market, the pool…) do
// not import this one, which loads the database lazily to audit refusals: no import cycle.
export { ApiError } from "./api-error";

interface ApiErrorBody {
  error: string;
  code: ApiErrorCode | "internal";
}

export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

export function errorResponse(e: unknown): Response {
  if (e instanceof ApiError) {
    return jsonResponse({ error: e.message, code: e.code } satisfies ApiErrorBody, { status: e.status, headers: e.headers });
  }
  // PostgreSQL's text cannot hold NUL (SQLite's can): a request that carries one in a
  // string field is the client's mistake, not the server's.
  if (/"(?:originalCode|code)":"22021"|invalid byte sequence for encoding \\"UTF8\\": 0x00/.test(JSON.stringify((e as { meta?: unknown })?.meta ?? null))) {
    return jsonResponse({ error: "text fields must not contain NUL (\\u0000) characters", code: "bad_request" } satisfies ApiErrorBody, { status: 400 });
  }
  const reason = unavailableReason(e);
  if (reason) {
    // Locked, missing or unreachable database: the client may retry; the operator reads the log.
    const message = (e instanceof DatabaseUnavailableError ? e : new DatabaseUnavailableError(reason)).message;
    console.error(`database unavailable (${reason}):`, e instanceof DatabaseUnavailableError ? (e.cause ?? e.message) : e);
    return jsonResponse({ error: message, code: "service_unavailable" } satisfies ApiErrorBody, { status: 503, headers: { "retry-after": "1" } });
  }
  console.error("unhandled error in route handler:", e);
  return jsonResponse({ error: "internal server error", code: "internal" } satisfies ApiErrorBody, { status: 500 });
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Record a refused (4xx) or failed (5xx) state-changing request the route did not record itself. */
async function recordRefusal(ctx: RequestContext, e: unknown, status: number): Promise<void> {
  try {
    const [{ getPrisma }, { recordAuditAttempt }, { routeAction }] = await Promise.all([import("./db"), import("./audit"), import("./audit-actions")]);
    const { action, objectType, objectId } = routeAction(ctx.method, ctx.path);
    await recordAuditAttempt(await getPrisma(), {
      action,
      objectType,
      objectId,
      outcome: status >= 500 ? "failed" : "refused",
      detail: { status, error: (e instanceof ApiError ? e.message : "internal server error").slice(0, 300) },
    });
  } catch (err) {
    console.error("recording a refused request in the audit trail failed:", err);
  }
}

function withRequestId(res: Response, requestId: string): Response {
  try {
    res.headers.set(REQUEST_ID_HEADER, requestId);
    return res;
  } catch {
    // Immutable headers (a fetched or redirect response): copy it.
    const copy = new Response(res.body, res);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    return copy;
  }
}

/**
 * Wrap a route handler so thrown ApiErrors become their JSON responses. State-changing
 * requests a browser sent from another site are refused before the handler runs. Each
 * request gets an id (the caller's x-request-id or a new one, echoed in the response)
 * that its audit events carry; a refused or failed state-changing request is recorded.
 */
export function apiRoute<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    const req = args[0];
    if (!(req instanceof Request)) {
      try {
        return await handler(...args);
      } catch (e) {
        return errorResponse(e);
      }
    }
    return runWithRequestContext(req, async (ctx) => {
      let res: Response;
      try {
        if (isCrossSiteRequest(req)) {
          throw new ApiError("forbidden", "requests from other sites are refused; use FlexPlat's own pages");
        }
        res = await handler(...args);
      } catch (e) {
        res = errorResponse(e);
        if (STATE_CHANGING.has(req.method) && !ctx.refusalRecorded) await recordRefusal(ctx, e, res.status);
      }
      return withRequestId(res, ctx.requestId);
    });
  };
}
