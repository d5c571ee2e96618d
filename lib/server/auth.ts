import "server-only";
import { cookies } from "next/headers";
import { getPrisma } from "./db";
import { ApiError } from "./api-error";
import { currentRequestContext } from "./request-context";
import { readCookie, resolveSession, SESSION_COOKIE } from "./session";
import type { Role, SessionUser } from "@/lib/wire/roles";

/**
 * The signed-in user of a route handler request, checked against the allowed roles.
 * Throws ApiError "unauthorized" (401) without a valid session and "forbidden" (403)
 * for a role that may not use the route.
 */
export async function requireUser(req: Request, roles?: readonly Role[]): Promise<SessionUser> {
  const prisma = await getPrisma();
  const user = await resolveSession(prisma, readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  if (!user) throw new ApiError("unauthorized", "sign in first");
  const ctx = currentRequestContext();
  if (ctx) ctx.user = user;
  assertRole(user, roles);
  return user;
}

function assertRole(user: SessionUser, roles?: readonly Role[]): void {
  if (roles && !roles.includes(user.role)) {
    throw new ApiError("forbidden", `this needs the ${roles.join(" or ")} role; you are signed in as ${user.username} (${user.role})`);
  }
}

/** The signed-in user in a server component or server action (null when signed out). */
export async function currentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  const prisma = await getPrisma();
  return resolveSession(prisma, jar.get(SESSION_COOKIE)?.value);
}
