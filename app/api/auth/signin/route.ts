import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson, SIGN_IN_BODY_LIMIT } from "@/lib/server/request";
import { isSecureRequest, sessionCookieHeader } from "@/lib/server/session";
import { signIn } from "@/lib/server/sign-in";
import { signInSchema } from "./schema";

/** POST { username, password } → 200 { user } with the session cookie, or 401. */
export const POST = apiRoute(async (req: Request) => {
  const { username, password } = await readJson(req, signInSchema, SIGN_IN_BODY_LIMIT);
  const { user, token, expiresAt } = await signIn(await getPrisma(), username, password);
  return jsonResponse({ user }, { headers: { "set-cookie": sessionCookieHeader(token, expiresAt, isSecureRequest(req)) } });
});
