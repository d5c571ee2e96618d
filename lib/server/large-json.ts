import type { z } from "zod";
import { ApiError } from "./errors";
import { readBodyLimited } from "./upload";

/** Largest accepted JSON body carrying light models (a model + key, or re-linearized operating points). */
export const MAX_LIGHT_MODEL_BYTES = 256 * 1024 * 1024;

/** A JSON body of at most `limit` bytes, parsed; too large → 413, not JSON → 400. */
async function readLargeJson(req: Request, limit: number): Promise<unknown> {
  let body: Uint8Array;
  try {
    body = await readBodyLimited(req, limit);
  } catch (e) {
    if (e instanceof ApiError && e.code === "payload_too_large") {
      throw new ApiError("payload_too_large", `the request is larger than ${limit / (1024 * 1024)} MB`);
    }
    throw e;
  }
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new ApiError("bad_request", "the request body is not valid JSON");
  }
}

/** A large JSON body checked against a schema; bad input becomes a 400 naming the field. */
export async function readLargeJsonAs<S extends z.ZodType>(req: Request, schema: S, limit = MAX_LIGHT_MODEL_BYTES): Promise<z.infer<S>> {
  const res = schema.safeParse(await readLargeJson(req, limit));
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new ApiError("bad_request", `${issue.path.length ? issue.path.join(".") : "body"}: ${issue.message}`);
  }
  return res.data;
}
