-- Market integrity: bid ids unique in the database, each per-asset bid recorded with its
-- grid id, unit and volume (capacity per unit across portfolios) and the opaque id the
-- TSO sees; portfolios bound to grids by id; published grid names unique.
-- PostgreSQL dialect, the twin of prisma/migrations/20261129030000_market_integrity (same tables and columns).

-- Portfolios stored before this migration (version 1) referenced grids by name and were
-- never checked for unit ownership or capacity: the market skips them and tells their
-- owners to upload them again. New uploads are version 2.
ALTER TABLE "BidPortfolio" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

CREATE TABLE "PortfolioBid" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "portfolioId" TEXT NOT NULL,
    "tsoGroupId" TEXT,
    CONSTRAINT "PortfolioBid_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "BidPortfolio" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "PortfolioBid_tsoGroupId_key" ON "PortfolioBid"("tsoGroupId");
CREATE INDEX "PortfolioBid_portfolioId_idx" ON "PortfolioBid"("portfolioId");

CREATE TABLE "AssetBid" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bidId" TEXT NOT NULL,
    "portfolioId" TEXT NOT NULL,
    "gridId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "volumeMw" DOUBLE PRECISION NOT NULL,
    "tsoId" TEXT NOT NULL,
    CONSTRAINT "AssetBid_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "PortfolioBid" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AssetBid_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "BidPortfolio" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "AssetBid_tsoId_key" ON "AssetBid"("tsoId");
CREATE INDEX "AssetBid_gridId_unitId_idx" ON "AssetBid"("gridId", "unitId");
CREATE INDEX "AssetBid_portfolioId_idx" ON "AssetBid"("portfolioId");

-- The name a grid is published under (trimmed, lower case), unique among published grids.
ALTER TABLE "Grid" ADD COLUMN "publishedName" TEXT;

-- Where two published grids already share a name, the later publication is withdrawn
-- (its DSO publishes again under another name); then the names are recorded.
UPDATE "LightModel" SET "published" = false, "publishedAt" = NULL
WHERE "published" = true AND EXISTS (
    SELECT 1 FROM "LightModel" AS "earlier"
    JOIN "Grid" AS "earlierGrid" ON "earlierGrid"."id" = "earlier"."gridId"
    JOIN "Grid" AS "thisGrid" ON "thisGrid"."id" = "LightModel"."gridId"
    WHERE "earlier"."published" = true
      AND "earlier"."gridId" <> "LightModel"."gridId"
      AND lower(trim("earlierGrid"."name")) = lower(trim("thisGrid"."name"))
      AND ("earlier"."publishedAt" < "LightModel"."publishedAt"
           OR ("earlier"."publishedAt" = "LightModel"."publishedAt" AND "earlier"."gridId" < "LightModel"."gridId"))
);
UPDATE "Grid" SET "publishedName" = lower(trim("name"))
WHERE "id" IN (SELECT "gridId" FROM "LightModel" WHERE "published" = true);
CREATE UNIQUE INDEX "Grid_publishedName_key" ON "Grid"("publishedName");
