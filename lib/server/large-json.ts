import "server-only";
import type { z } from "zod";
import { MAX_LIGHT_MODEL_BYTES, readJson } from "./request";

export { MAX_LIGHT_MODEL_BYTES } from "./request";

/**
 * A large JSON body checked against a schema: readJson (lib/server/request.ts, the one
 * implementation: sent as application/json, read up to the limit) with the light-model
 * limit by default. Kept under this name for routes that carry light models or regions.
 */
export function readLargeJsonAs<S extends z.ZodType>(req: Request, schema: S, limit = MAX_LIGHT_MODEL_BYTES): Promise<z.infer<S>> {
  return readJson(req, schema, limit);
}
