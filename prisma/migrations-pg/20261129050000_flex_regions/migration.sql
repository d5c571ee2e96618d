-- PostgreSQL dialect, the twin of prisma/migrations/20261129050000_flex_regions (same tables and columns).
-- Flexibility regions a DSO computed for a grid (lib/regions): what crosses to the TSO
-- when published (regionJson passes the strict schema of its kind; no element ids).
CREATE TABLE "FlexRegion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gridId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "regionJson" TEXT NOT NULL,
    "size" DOUBLE PRECISION NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FlexRegion_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "FlexRegion_gridId_createdAt_idx" ON "FlexRegion"("gridId", "createdAt");
