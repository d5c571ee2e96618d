-- Accounts: when a password was last set (created, changed by its owner or reset by an
-- administrator), and an index to purge expired sessions.
-- PostgreSQL dialect, the twin of prisma/migrations/20261129020000_accounts (same tables and columns).

ALTER TABLE "User" ADD COLUMN "passwordChangedAt" TIMESTAMP(3);

CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");
