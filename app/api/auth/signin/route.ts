import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson, SIGN_IN_BODY_LIMIT } from "@/lib/server/request";
import { clientAddress } from "@/lib/server/client-address";
import { isSecureRequest, readCookie, SESSION_COOKIE, sessionCookieHeader } from "@/lib/server/session";
import { signIn } from "@/lib/server/sign-in";
import { signInSchema } from "./schema";

/**
 * POST { username, password } → 200 { user } with a new session cookie (a session the
 * browser sent is ended), 401 with one generic message (unknown name, wrong password,
 * locked), or 429 with Retry-After while the name or the address is backing off.
 */
export const POST = apiRoute(async (req: Request) => {
  const { username, password } = await readJson(req, signInSchema, SIGN_IN_BODY_LIMIT);
  const previousToken = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
  const { user, token, expiresAt } = await signIn(await getPrisma(), username, password, { address: clientAddress(req), previousToken });
  return jsonResponse({ user }, { headers: { "set-cookie": sessionCookieHeader(token, expiresAt, isSecureRequest(req)) } });
});
