-- Light models, the demo-mode switch of a grid, aggregators' bid portfolios and clearing runs.
-- PostgreSQL dialect, the twin of prisma/migrations/20261122100000_market (same tables and columns).

ALTER TABLE "Grid" ADD COLUMN "demoMode" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "LightModel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gridId" TEXT NOT NULL,
    "modelJson" TEXT NOT NULL,
    "keyJson" TEXT NOT NULL,
    "operatingPoints" INTEGER NOT NULL,
    "locations" INTEGER NOT NULL,
    "monitoredBuses" INTEGER NOT NULL,
    "monitoredBranches" INTEGER NOT NULL,
    "reactive" BOOLEAN NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LightModel_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "LightModel_gridId_createdAt_idx" ON "LightModel"("gridId", "createdAt");

CREATE TABLE "BidPortfolio" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fileName" TEXT,
    "bidsJson" TEXT NOT NULL,
    "bidCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BidPortfolio_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BidPortfolio_ownerId_idx" ON "BidPortfolio"("ownerId");

CREATE TABLE "ClearingRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "requestMw" DOUBLE PRECISION NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL,
    "totalMw" DOUBLE PRECISION NOT NULL,
    "objectiveEur" DOUBLE PRECISION,
    "resultJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ClearingRun_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ClearingRun_kind_createdAt_idx" ON "ClearingRun"("kind", "createdAt");
