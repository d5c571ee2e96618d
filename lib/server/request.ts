import "server-only";
import type { z } from "zod";
import { ApiError } from "./api-error";
import { readBodyLimited } from "./upload";

/**
 * JSON request bodies. Every route that reads one names its limit: the default is
 * small, the sign-in form's smaller, and only the routes that carry light models
 * (a model with its key, re-linearized operating points, a stored clearing) allow
 * more. A body is read up to its limit and no further, and only when it declares
 * itself as JSON: a cross-site HTML form can send text/plain or form encodings but
 * not application/json without the browser asking the server first (CORS preflight),
 * so this also keeps forms on other sites from calling the API (login CSRF).
 */

/** Default limit of a JSON body, bytes (64 KB). */
const JSON_BODY_LIMIT = 64 * 1024;
/** Sign-in: a user name and a password (4 KB). */
export const SIGN_IN_BODY_LIMIT = 4 * 1024;
/** Light models with their keys, re-linearized operating points (256 MB). */
export const MAX_LIGHT_MODEL_BYTES = 256 * 1024 * 1024;

function describeBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${n / 1024} KB`;
}

/** True for `application/json` and `application/<x>+json`, with any parameters. */
function isJsonContentType(header: string | null): boolean {
  const type = (header ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * The JSON body of at most `limit` bytes, unparsed (415 unless sent as JSON, 413 when
 * larger): for bodies parsed on the worker pool rather than the request thread.
 */
export async function readJsonBodyBytes(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!isJsonContentType(req.headers.get("content-type"))) {
    throw new ApiError("unsupported_media_type", "send the request body as JSON (content-type: application/json)");
  }
  try {
    return await readBodyLimited(req, limit);
  } catch (e) {
    if (e instanceof ApiError && e.code === "payload_too_large") {
      throw new ApiError("payload_too_large", `the request body is larger than ${describeBytes(limit)}, the limit of this route`);
    }
    throw e;
  }
}

/** The JSON body of at most `limit` bytes, parsed (415 unless sent as JSON, 413 when larger, 400 when not JSON). */
async function readJsonBody(req: Request, limit = JSON_BODY_LIMIT): Promise<unknown> {
  if (!isJsonContentType(req.headers.get("content-type"))) {
    throw new ApiError("unsupported_media_type", "send the request body as JSON (content-type: application/json)");
  }
  let body: Uint8Array;
  try {
    body = await readBodyLimited(req, limit);
  } catch (e) {
    if (e instanceof ApiError && e.code === "payload_too_large") {
      throw new ApiError("payload_too_large", `the request body is larger than ${describeBytes(limit)}, the limit of this route`);
    }
    throw e;
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    throw new ApiError("bad_request", "the request body is not valid JSON");
  }
}

/** A JSON body checked against a schema; bad input becomes a 400 naming the field. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, limit = JSON_BODY_LIMIT): Promise<z.infer<S>> {
  const res = schema.safeParse(await readJsonBody(req, limit));
  if (!res.success) {
    const issue = res.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new ApiError("bad_request", where + issue.message);
  }
  return res.data;
}
