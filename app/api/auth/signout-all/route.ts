import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { clearSessionCookieHeader, deleteAllSessions, isSecureRequest } from "@/lib/server/session";

/** POST → { ended }: signs the user out everywhere (every session of the account, this one too) and clears the cookie. */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req);
  const ended = await deleteAllSessions(await getPrisma(), user);
  return jsonResponse({ ended }, { headers: { "set-cookie": clearSessionCookieHeader(isSecureRequest(req)) } });
});
