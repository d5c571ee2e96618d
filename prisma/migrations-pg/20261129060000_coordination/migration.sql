-- PostgreSQL dialect, the twin of prisma/migrations/20261129060000_coordination (same tables and columns).
-- TSO–DSO coordination (issue 13): the TSO's transmission grids, its coordination runs and
-- the PCC set-points sent to the DSOs (status and reason are all that come back). A region
-- keeps the DSO's own problem options (never served to the TSO).
ALTER TABLE "FlexRegion" ADD COLUMN "optionsJson" TEXT;

CREATE TABLE "TransmissionGrid" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sourceFormat" TEXT NOT NULL,
    "fileName" TEXT,
    "busCount" INTEGER NOT NULL,
    "branchCount" INTEGER NOT NULL,
    "generatorCount" INTEGER NOT NULL,
    "networkJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TransmissionGrid_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "TransmissionGrid_ownerId_idx" ON "TransmissionGrid"("ownerId");

CREATE TABLE "CoordinationRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdById" TEXT NOT NULL,
    "transmissionGridId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "objective" DOUBLE PRECISION NOT NULL,
    "tsCostPerH" DOUBLE PRECISION NOT NULL,
    "resultJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CoordinationRun_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoordinationRun_transmissionGridId_fkey" FOREIGN KEY ("transmissionGridId") REFERENCES "TransmissionGrid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "CoordinationRun_createdById_createdAt_idx" ON "CoordinationRun"("createdById", "createdAt");

CREATE TABLE "SetPoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "regionId" TEXT NOT NULL,
    "gridId" TEXT NOT NULL,
    "tsBus" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "pMw" DOUBLE PRECISION NOT NULL,
    "qMvar" DOUBLE PRECISION NOT NULL,
    "vPu" DOUBLE PRECISION NOT NULL,
    "dsCostPerH" DOUBLE PRECISION NOT NULL,
    "lmpP" DOUBLE PRECISION NOT NULL,
    "lmpQ" DOUBLE PRECISION NOT NULL,
    "onBoundary" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'sent',
    "reason" TEXT,
    "respondedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SetPoint_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CoordinationRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SetPoint_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "FlexRegion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SetPoint_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "SetPoint_runId_idx" ON "SetPoint"("runId");
CREATE INDEX "SetPoint_gridId_createdAt_idx" ON "SetPoint"("gridId", "createdAt");
CREATE INDEX "SetPoint_regionId_idx" ON "SetPoint"("regionId");
