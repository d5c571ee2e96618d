import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import { recordAudit, recordAuditAttempt } from "./audit";
import { ApiError } from "./api-error";
import { hashPassword, verifyPassword } from "./password";
import { createSession, purgeExpiredSessions, sessionIdOf } from "./session";
import { ACCOUNT_POLICY, ADDRESS_POLICY, accountKey, addressKey, claimSignInAttempt, purgeStaleThrottles, releaseOnSuccess } from "./sign-in-throttle";
import { isRole, type SessionUser } from "@/lib/wire/roles";

let dummyHash: Promise<string> | null = null;

/** The one answer to a failed sign-in: unknown name, wrong password and a locked name look the same. */
export const SIGN_IN_FAILED = "unknown user name or wrong password, or too many failed attempts (then wait 15 minutes)";

export interface SignInOptions {
  /** The client's address (lib/server/client-address.ts), throttled besides the account name. */
  address?: string;
  /** The session cookie the browser sent with the sign-in, deleted: sign-in always issues a new id. */
  previousToken?: string;
  now?: Date;
}

/**
 * Check the credentials and open a session. Attempts are throttled per account name
 * and per client address (lib/server/sign-in-throttle.ts): 429 with Retry-After while
 * backing off, the generic failure while locked. Unknown user and wrong password look
 * the same, in message and (by hashing anyway) in time. Every attempt is audited.
 */
export async function signIn(prisma: PrismaClient, username: string, password: string, opts: SignInOptions = {}): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  const now = opts.now ?? new Date();
  const address = opts.address ?? "unknown";
  const row = await prisma.user.findUnique({ where: { username } });
  const attempt = { action: "auth.signin", objectType: "account", objectId: row?.id ?? null, ownerId: row?.id ?? null, actor: null, username } as const;
  const claim = await claimSignInAttempt(
    prisma,
    [
      { key: addressKey(address), policy: ADDRESS_POLICY },
      { key: accountKey(username), policy: ACCOUNT_POLICY },
    ],
    now,
  );
  if (!claim.ok) {
    const by = claim.key.startsWith("addr:") ? "address" : "account";
    await recordAuditAttempt(prisma, { ...attempt, outcome: "refused", detail: { reason: claim.locked ? `locked (${by})` : `backing off (${by})`, address } });
    if (claim.locked) throw new ApiError("unauthorized", SIGN_IN_FAILED);
    const seconds = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
    throw new ApiError("too_many_requests", `too many failed sign-ins; wait ${seconds} s and try again`, { "retry-after": String(seconds) });
  }
  // Hash even for unknown users so response times do not reveal which names exist.
  dummyHash ??= hashPassword("not-a-password");
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyHash));
  if (!row || !ok || !isRole(row.role)) {
    await recordAuditAttempt(prisma, { ...attempt, outcome: "refused", detail: { reason: "wrong credentials", address } });
    throw new ApiError("unauthorized", SIGN_IN_FAILED);
  }
  await releaseOnSuccess(prisma, username, address, claim);
  await purgeExpiredSessions(prisma, now);
  await purgeStaleThrottles(prisma, now);
  const user: SessionUser = { id: row.id, username: row.username, displayName: row.displayName, role: row.role };
  const previousId = sessionIdOf(opts.previousToken);
  const { token, expiresAt } = await prisma.$transaction(async (tx) => {
    // Session fixation: whatever session the browser came with ends; the new one has a fresh id.
    const rotated = previousId ? (await tx.session.deleteMany({ where: { id: previousId } })).count : 0;
    const session = await createSession(tx, row.id, now);
    await recordAudit(tx, { action: "auth.signin", objectType: "account", objectId: row.id, ownerId: row.id, actor: user, detail: { address, ...(rotated ? { replacedSession: true } : {}) } });
    return session;
  });
  return { user, token, expiresAt };
}
