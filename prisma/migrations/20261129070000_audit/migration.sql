-- Hardening (issue 14): the audit trail, sign-in throttling shared by every server
-- process, and the last request of a session for the idle timeout.
-- SQLite dialect, as `prisma migrate diff` would write it for prisma/schema.prisma.

-- Append-only: no route updates or deletes these rows (lib/server/audit.ts). No foreign
-- keys on purpose: the record outlives the accounts and objects it names.
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT,
    "username" TEXT,
    "role" TEXT,
    "action" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT,
    "ownerId" TEXT,
    "outcome" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "detail" TEXT
);
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");
CREATE INDEX "AuditEvent_ownerId_at_idx" ON "AuditEvent"("ownerId", "at");
CREATE INDEX "AuditEvent_userId_at_idx" ON "AuditEvent"("userId", "at");

CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "lastFailedAt" DATETIME NOT NULL,
    "blockedUntil" DATETIME
);

-- Null for sessions from before: their idle time counts from createdAt. (SQLite cannot add
-- a column whose default is CURRENT_TIMESTAMP.)
ALTER TABLE "Session" ADD COLUMN "lastSeenAt" DATETIME;
