import "server-only";
import type { PrismaClient } from "@/lib/db/client";

/**
 * Sign-in throttling, per account name and per client address, in the database so
 * every server process sees the same counts. Each attempt first claims its place by
 * counting itself as a failure with a compare-and-set update (so parallel attempts
 * cannot all slip through before the first failure is written); a success then takes
 * the claim back. After `freeFailures` consecutive failures each further attempt must
 * wait baseDelayMs · 2^(failures − freeFailures), at most maxDelayMs (answered 429 with
 * Retry-After); from `lockAfter` failures the key is locked for lockMs (answered with
 * the generic sign-in failure). A key with no failure for forgetAfterMs starts again.
 * Unknown user names are counted exactly like existing ones.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  lockAfter: number;
  baseDelayMs: number;
  maxDelayMs: number;
  lockMs: number;
  forgetAfterMs: number;
}

const MINUTE = 60 * 1000;

/** Per account: 3 free failures, then 1, 2, 4 … 64 s, locked 15 min from the 10th. */
export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 3, lockAfter: 10, baseDelayMs: 1000, maxDelayMs: 64 * 1000, lockMs: 15 * MINUTE, forgetAfterMs: 15 * MINUTE };
/** Per client address (many operators may share one, behind a NAT): 10 free failures, then back-off, locked 15 min from the 30th. */
export const ADDRESS_POLICY: ThrottlePolicy = { freeFailures: 10, lockAfter: 30, baseDelayMs: 1000, maxDelayMs: 64 * 1000, lockMs: 15 * MINUTE, forgetAfterMs: 15 * MINUTE };

/** How long a key must wait after `failures` consecutive failures (0: not at all). */
export function waitAfter(failures: number, p: ThrottlePolicy): { ms: number; locked: boolean } {
  if (failures >= p.lockAfter) return { ms: p.lockMs, locked: true };
  if (failures < p.freeFailures) return { ms: 0, locked: false };
  return { ms: Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (failures - p.freeFailures)), locked: false };
}

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

export function accountKey(username: string): string {
  return `user:${username.trim().toLowerCase()}`;
}

export function addressKey(address: string): string {
  return `addr:${address}`;
}

/** A claimed attempt carries the failure count it set on each key, so a success can take exactly that claim back. */
export type Claim = { ok: true; failures: Record<string, number> } | { ok: false; key: string; locked: boolean; retryAfterMs: number };
type OneClaim = { ok: true; failures: number } | Extract<Claim, { ok: false }>;

const CLAIM_TRIES = 20;

async function claimOne(prisma: PrismaClient, { key, policy }: ThrottleKey, now: Date): Promise<OneClaim> {
  const t = now.getTime();
  for (let i = 0; i < CLAIM_TRIES; i++) {
    const row = await prisma.signInThrottle.findUnique({ where: { key } });
    if (row?.blockedUntil && row.blockedUntil.getTime() > t) {
      return { ok: false, key, locked: row.failures >= policy.lockAfter, retryAfterMs: row.blockedUntil.getTime() - t };
    }
    const forgotten = row !== null && t - row.lastFailedAt.getTime() >= policy.forgetAfterMs;
    const failures = (row === null || forgotten ? 0 : row.failures) + 1;
    const wait = waitAfter(failures, policy);
    const data = { failures, lastFailedAt: now, blockedUntil: wait.ms > 0 ? new Date(t + wait.ms) : null };
    if (row === null) {
      try {
        await prisma.signInThrottle.create({ data: { key, ...data } });
        return { ok: true, failures };
      } catch (e) {
        if ((e as { code?: string }).code === "P2002") continue; // another attempt created it first
        throw e;
      }
    }
    // Compare-and-set: only if nobody counted another attempt since the read.
    const { count } = await prisma.signInThrottle.updateMany({ where: { key, failures: row.failures, lastFailedAt: row.lastFailedAt }, data });
    if (count === 1) return { ok: true, failures };
  }
  return { ok: false, key, locked: false, retryAfterMs: 1000 };
}

/**
 * Claim one attempt on every key, in order; the first refusal stops (later keys are not counted).
 * A claimed attempt counts as a failure until `releaseOnSuccess`.
 */
export async function claimSignInAttempt(prisma: PrismaClient, keys: ThrottleKey[], now = new Date()): Promise<Claim> {
  const failures: Record<string, number> = {};
  for (const k of keys) {
    const claim = await claimOne(prisma, k, now);
    if (!claim.ok) return claim;
    failures[k.key] = claim.failures;
  }
  return { ok: true, failures };
}

/**
 * A successful sign-in: the account's count is reset; the address's claim is taken
 * back. The address was not waiting before this claim (it passed the check), so when
 * no other attempt counted since, its wait is lifted too; otherwise only the count
 * goes down and the others' wait stays.
 */
export async function releaseOnSuccess(prisma: PrismaClient, account: string, address: string, claim: Extract<Claim, { ok: true }>): Promise<void> {
  await prisma.signInThrottle.deleteMany({ where: { key: accountKey(account) } });
  const key = addressKey(address);
  const claimed = claim.failures[key];
  if (claimed === undefined) return;
  const { count } = await prisma.signInThrottle.updateMany({ where: { key, failures: claimed }, data: { failures: claimed - 1, blockedUntil: null } });
  if (count === 0) await prisma.signInThrottle.updateMany({ where: { key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
}

/** Forget keys that are neither blocked nor failed recently (with the hourly session purge). */
export async function purgeStaleThrottles(prisma: PrismaClient, now = new Date()): Promise<number> {
  const forgetBefore = new Date(now.getTime() - Math.max(ACCOUNT_POLICY.forgetAfterMs, ADDRESS_POLICY.forgetAfterMs));
  const { count } = await prisma.signInThrottle.deleteMany({
    where: { lastFailedAt: { lte: forgetBefore }, OR: [{ blockedUntil: null }, { blockedUntil: { lte: now } }] },
  });
  return count;
}
