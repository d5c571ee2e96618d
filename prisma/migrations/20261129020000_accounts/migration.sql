-- Accounts: when a password was last set (created, changed by its owner or reset by an
-- administrator), and an index to purge expired sessions.
-- SQLite dialect, as `prisma migrate diff` would write it for prisma/schema.prisma.

ALTER TABLE "User" ADD COLUMN "passwordChangedAt" DATETIME;

CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");
