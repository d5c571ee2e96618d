-- Operator accounts, sessions, DSO grids, power flow run summaries and demo-data bookkeeping.
-- PostgreSQL dialect, the twin of prisma/migrations/20261122000000_init (same tables and columns).

CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

CREATE TABLE "Grid" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sourceFormat" TEXT NOT NULL,
    "fileName" TEXT,
    "busCount" INTEGER NOT NULL,
    "branchCount" INTEGER NOT NULL,
    "fpuCount" INTEGER NOT NULL,
    "networkJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Grid_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Grid_ownerId_idx" ON "Grid"("ownerId");

CREATE TABLE "PowerFlowRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gridId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "converged" BOOLEAN NOT NULL,
    "iterations" INTEGER NOT NULL,
    "vmMinPu" DOUBLE PRECISION,
    "vmMinBusId" INTEGER,
    "lossPMw" DOUBLE PRECISION,
    "lossQMvar" DOUBLE PRECISION,
    "maxLoadingPct" DOUBLE PRECISION,
    "solveMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PowerFlowRun_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PowerFlowRun_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "PowerFlowRun_gridId_createdAt_idx" ON "PowerFlowRun"("gridId", "createdAt");

CREATE TABLE "SeedRecord" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
