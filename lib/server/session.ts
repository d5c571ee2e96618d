import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { recordAudit } from "./audit";
import { sessionSecret } from "./secret";
import { isRole, type SessionUser } from "@/lib/wire/roles";

export const SESSION_COOKIE = "flexplat_session";
/** Absolute lifetime of a session: 12 hours from sign-in, whatever happens. */
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Default idle timeout: a session unused for 30 minutes ends (FLEXPLAT_SESSION_IDLE_MINUTES). */
const DEFAULT_IDLE_MINUTES = 30;
/** lastSeenAt is written at most this often (once a minute), to keep requests from writing on every read. */
export const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

/** The idle timeout in ms: FLEXPLAT_SESSION_IDLE_MINUTES (1 to 720) or 30 minutes. */
export function sessionIdleMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.FLEXPLAT_SESSION_IDLE_MINUTES;
  const minutes = raw === undefined || raw.trim() === "" ? DEFAULT_IDLE_MINUTES : Number(raw);
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 720) {
    throw new Error(`FLEXPLAT_SESSION_IDLE_MINUTES must be a number of minutes from 1 to 720, not '${raw}'`);
  }
  return minutes * 60 * 1000;
}

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

type SessionWriter = Pick<PrismaClient, "session">;

/** A new session with a fresh random id (never one the browser sent: sign-in rotates the id). */
export async function createSession(prisma: SessionWriter, userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const id = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await prisma.session.create({ data: { id, userId, expiresAt, createdAt: now, lastSeenAt: now } });
  return { token: signSessionId(id), expiresAt };
}

/**
 * The user of a valid session token, or null. A session past its absolute expiry or
 * idle for longer than the idle timeout is deleted; a used one has its lastSeenAt
 * moved forward, at most once a minute.
 */
export async function resolveSession(prisma: PrismaClient, token: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token) return null;
  const id = verifySessionToken(token);
  if (!id) return null;
  const session = await prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return null;
  const t = now.getTime();
  const lastSeen = (session.lastSeenAt ?? session.createdAt).getTime();
  if (session.expiresAt.getTime() <= t || t - lastSeen >= sessionIdleMs()) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  if (t - lastSeen >= LAST_SEEN_RESOLUTION_MS) await prisma.session.updateMany({ where: { id }, data: { lastSeenAt: now } });
  const { user } = session;
  if (!isRole(user.role)) return null;
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

/** Delete every expired or idle session (at start-up, on each sign-in and hourly); returns how many. */
export async function purgeExpiredSessions(prisma: PrismaClient, now = new Date()): Promise<number> {
  const idleSince = new Date(now.getTime() - sessionIdleMs());
  const where = { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lte: idleSince } }, { lastSeenAt: null, createdAt: { lte: idleSince } }] };
  return (await prisma.session.deleteMany({ where })).count;
}

/** The session id of a cookie value whose signature holds, else null. */
export function sessionIdOf(token: string | undefined): string | null {
  return token ? verifySessionToken(token) : null;
}

/** Sign out: delete the session of this token (if any), recorded in the audit trail in the same transaction. */
export async function deleteSession(prisma: PrismaClient, token: string | undefined): Promise<void> {
  const id = sessionIdOf(token);
  if (!id) return;
  const session = await prisma.session.findUnique({ where: { id }, include: { user: { select: { id: true, username: true, role: true } } } });
  if (!session) return;
  await prisma.$transaction(async (tx) => {
    const gone = await tx.session.deleteMany({ where: { id } });
    if (gone.count === 1) await recordAudit(tx, { action: "auth.signout", objectType: "account", objectId: session.userId, ownerId: session.userId, actor: session.user });
  });
}

/** Sign out everywhere: delete every session of the user (this browser's too); returns how many ended. */
export async function deleteAllSessions(prisma: PrismaClient, user: SessionUser): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, { action: "auth.signout_all", objectType: "account", objectId: user.id, ownerId: user.id, actor: user, detail: { sessions: count } });
    return count;
  });
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
