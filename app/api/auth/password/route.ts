import { changeOwnPassword } from "@/lib/server/accounts";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson, SIGN_IN_BODY_LIMIT } from "@/lib/server/request";
import { readCookie, SESSION_COOKIE, verifySessionToken } from "@/lib/server/session";
import { changePasswordSchema } from "./schema";

/** POST { currentPassword, newPassword } → { ok }: every signed-in operator changes its own password; its other sessions end. */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req);
  const input = await readJson(req, changePasswordSchema, SIGN_IN_BODY_LIMIT);
  const token = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
  await changeOwnPassword(await getPrisma(), user, token ? verifySessionToken(token) : null, input);
  return jsonResponse({ ok: true });
});
