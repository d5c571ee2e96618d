import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { recordAudit } from "./audit";
import { ApiError } from "./api-error";
import { hashPassword, verifyPassword } from "./password";
import { ROLES, type Role, type SessionUser } from "@/lib/wire/roles";
import type { AccountSummary } from "@/lib/wire/accounts";
import { passwordProblem, USERNAME_PATTERN } from "@/lib/limits/password";

/**
 * Operator accounts: the administrator creates them and resets passwords; every
 * operator changes its own. A new or reset password ends the account's other
 * sessions. Generated passwords are returned once and never stored in clear.
 */

/** A random password for an account the administrator creates or resets (144 bits, URL-safe). */
function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

function checkPassword(password: string, username: string, field: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new ApiError("bad_request", `${field}: ${problem}`);
}

type AccountRow = { id: string; username: string; displayName: string; role: string; createdAt: Date; passwordChangedAt: Date | null };

function toSummary(r: AccountRow, activeSessions: number): AccountSummary {
  return {
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    role: r.role as Role,
    createdAt: r.createdAt.toISOString(),
    passwordChangedAt: r.passwordChangedAt?.toISOString() ?? null,
    activeSessions,
  };
}

export async function listAccounts(prisma: PrismaClient, now = new Date()): Promise<AccountSummary[]> {
  // Sorted here, by code unit: the database's ORDER BY on text follows its collation
  // (byte order on SQLite, the locale's on PostgreSQL).
  const rows = await prisma.user.findMany({
    select: {
      id: true,
      username: true,
      displayName: true,
      role: true,
      createdAt: true,
      passwordChangedAt: true,
      _count: { select: { sessions: { where: { expiresAt: { gt: now } } } } },
    },
  });
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => byCodeUnit(a.role, b.role) || byCodeUnit(a.username, b.username));
  return rows.map((r) => toSummary(r, r._count.sessions));
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  /** Omitted: a password is generated and returned once. */
  password?: string;
}

/** Create an account; 409 when the user name is taken. */
export async function createAccount(prisma: PrismaClient, input: NewAccount): Promise<{ account: AccountSummary; password: string | null }> {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw new ApiError("bad_request", "username: use 2 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
  }
  if (!ROLES.includes(input.role)) throw new ApiError("bad_request", `role: one of ${ROLES.join(", ")}`);
  const generated = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? generated!;
  checkPassword(password, input.username, "password");
  if (await prisma.user.findUnique({ where: { username: input.username }, select: { id: true } })) {
    throw new ApiError("conflict", `username: '${input.username}' is taken`);
  }
  let row: Parameters<typeof toSummary>[0];
  const passwordHash = await hashPassword(password);
  try {
    row = await prisma.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { id: randomUUID(), username: input.username, displayName: input.displayName, role: input.role, passwordHash, passwordChangedAt: new Date() },
      });
      await recordAudit(tx, { action: "account.create", objectType: "account", objectId: created.id, ownerId: created.id, detail: { username: created.username, role: created.role } });
      return created;
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new ApiError("conflict", `username: '${input.username}' is taken`);
    throw e;
  }
  return { account: toSummary(row, 0), password: generated };
}

/**
 * The administrator sets a new password for another account (generated when none is
 * given) and ends all its sessions. An administrator changes its own password on
 * its account page, with the current one.
 */
export async function resetPassword(prisma: PrismaClient, admin: SessionUser, userId: string, password?: string): Promise<{ username: string; password: string | null }> {
  const target = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, username: true } });
  if (!target) throw new ApiError("not_found", `no account with id ${userId}`);
  if (target.id === admin.id) throw new ApiError("bad_request", "change your own password on your account page (it asks for the current one)");
  const generated = password === undefined ? generatePassword() : null;
  const next = password ?? generated!;
  checkPassword(next, target.username, "password");
  const passwordHash = await hashPassword(next);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    const { count } = await tx.session.deleteMany({ where: { userId: target.id } });
    await recordAudit(tx, {
      action: "account.password_reset",
      objectType: "account",
      objectId: target.id,
      ownerId: target.id,
      detail: { username: target.username, sessionsEnded: count, generated: generated !== null },
    });
  });
  return { username: target.username, password: generated };
}

/** An operator changes its own password: the current one first; every other session of the account ends. */
export async function changeOwnPassword(prisma: PrismaClient, user: SessionUser, currentSessionId: string | null, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(input.currentPassword, row.passwordHash))) throw new ApiError("bad_request", "currentPassword: this is not your current password");
  if (input.newPassword === input.currentPassword) throw new ApiError("bad_request", "newPassword: choose a password different from the current one");
  checkPassword(input.newPassword, user.username, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    const { count } = await tx.session.deleteMany({ where: { userId: user.id, ...(currentSessionId ? { id: { not: currentSessionId } } : {}) } });
    await recordAudit(tx, { action: "account.password_change", objectType: "account", objectId: user.id, ownerId: user.id, actor: user, detail: { otherSessionsEnded: count } });
  });
}
