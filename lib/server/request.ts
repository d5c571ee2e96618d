import type { z } from "zod";
import { ApiError } from "./errors";

/** Parse a JSON request body against a schema; bad input becomes a 400 naming the field. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new ApiError("bad_request", "the request body is not valid JSON");
  }
  const res = schema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new ApiError("bad_request", where + issue.message);
  }
  return res.data;
}
