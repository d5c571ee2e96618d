import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { clearSessionCookieHeader, deleteSession, isSecureRequest, readCookie, SESSION_COOKIE } from "@/lib/server/session";

/** POST → ends the session (if any) and clears the cookie. */
export const POST = apiRoute(async (req: Request) => {
  await deleteSession(await getPrisma(), readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  return jsonResponse({ ok: true }, { headers: { "set-cookie": clearSessionCookieHeader(isSecureRequest(req)) } });
});
