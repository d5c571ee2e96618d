import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { isRole, type SessionUser } from "./roles";
import { sessionSecret } from "./secret";

export const SESSION_COOKIE = "flexplat_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function mac(id: string, secret: string): string {
  return createHmac("sha256", secret).update(id).digest("base64url");
}

/** Cookie value: the session id and its HMAC, so forged or altered ids are refused before any lookup. */
export function signSessionId(id: string, secret = sessionSecret()): string {
  return `${id}.${mac(id, secret)}`;
}

export function verifySessionToken(token: string, secret = sessionSecret()): string | null {
  const dot = token.indexOf(".");
  if (dot <= 0) return null;
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(id, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

export async function createSession(prisma: PrismaClient, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const id = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await prisma.session.create({ data: { id, userId, expiresAt } });
  return { token: signSessionId(id), expiresAt };
}

/** The user of a valid, unexpired session token, or null. */
export async function resolveSession(prisma: PrismaClient, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const id = verifySessionToken(token);
  if (!id) return null;
  const session = await prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now()) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  const { user } = session;
  if (!isRole(user.role)) return null;
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

/** Delete every expired session (at start-up, on each sign-in and hourly); returns how many. */
export async function purgeExpiredSessions(prisma: PrismaClient, now = new Date()): Promise<number> {
  return (await prisma.session.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}

export async function deleteSession(prisma: PrismaClient, token: string | undefined): Promise<void> {
  const id = token ? verifySessionToken(token) : null;
  if (id) await prisma.session.deleteMany({ where: { id } });
}

/**
 * Read one cookie from a Cookie header. A value that is not valid percent-encoding
 * (e.g. `%E0%A4%A`) is no session: the caller is treated as signed out.
 */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Set-Cookie value for a session (httpOnly, SameSite=Lax; Secure when the request came over https). */
export function sessionCookieHeader(token: string, expiresAt: Date, secure: boolean): string {
  const attrs = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

export function clearSessionCookieHeader(secure: boolean): string {
  const attrs = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

export function isSecureRequest(req: Request): boolean {
  return new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
}
