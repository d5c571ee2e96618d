import type { PrismaClient } from "@/lib/db/client";
import { ApiError } from "./errors";
import { hashPassword, verifyPassword } from "./password";
import { isRole, type SessionUser } from "./roles";
import { createSession, purgeExpiredSessions } from "./session";

let dummyHash: Promise<string> | null = null;

/** Check the credentials and open a session; unknown user and wrong password look the same. */
export async function signIn(
  prisma: PrismaClient,
  username: string,
  password: string,
): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  const row = await prisma.user.findUnique({ where: { username } });
  // Hash even for unknown users so response times do not reveal which names exist.
  dummyHash ??= hashPassword("not-a-password");
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyHash));
  if (!row || !ok || !isRole(row.role)) throw new ApiError("unauthorized", "unknown user name or wrong password");
  await purgeExpiredSessions(prisma);
  const { token, expiresAt } = await createSession(prisma, row.id);
  return { user: { id: row.id, username: row.username, displayName: row.displayName, role: row.role }, token, expiresAt };
}
