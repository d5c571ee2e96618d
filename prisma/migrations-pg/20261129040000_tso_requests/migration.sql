-- The TSO's clearings and what it asked the DSO side in them: every validation and
-- re-linearization (accepted or refused) is recorded for the DSO of the grid to see, and
-- counts against the TSO account's hourly quota.
-- PostgreSQL dialect, the twin of prisma/migrations/20261129040000_tso_requests (same tables and columns).

CREATE TABLE "TsoClearing" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "requestMw" DOUBLE PRECISION NOT NULL,
    "boundsJson" TEXT NOT NULL,
    "runId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "TsoClearing_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TsoClearing_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ClearingRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "TsoClearing_runId_key" ON "TsoClearing"("runId");
CREATE INDEX "TsoClearing_userId_createdAt_idx" ON "TsoClearing"("userId", "createdAt");

CREATE TABLE "TsoRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clearingId" TEXT,
    "userId" TEXT NOT NULL,
    "gridId" TEXT,
    "lightModelId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "iteration" INTEGER NOT NULL,
    "totalMw" DOUBLE PRECISION NOT NULL,
    "activeLocations" INTEGER NOT NULL,
    "dispatchJson" TEXT,
    "dispatchSha256" TEXT,
    "resultSha256" TEXT,
    "accepted" BOOLEAN NOT NULL,
    "outcome" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TsoRequest_clearingId_fkey" FOREIGN KEY ("clearingId") REFERENCES "TsoClearing" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "TsoRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TsoRequest_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "TsoRequest_gridId_createdAt_idx" ON "TsoRequest"("gridId", "createdAt");
CREATE INDEX "TsoRequest_userId_createdAt_idx" ON "TsoRequest"("userId", "createdAt");
CREATE INDEX "TsoRequest_clearingId_idx" ON "TsoRequest"("clearingId");
