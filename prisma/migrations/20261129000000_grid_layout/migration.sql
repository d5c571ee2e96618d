-- Schematic layouts of grids without geography (issue 18), one per grid.
-- SQLite dialect, as `prisma migrate diff` would write it for prisma/schema.prisma.

CREATE TABLE "GridLayout" (
    "gridId" TEXT NOT NULL PRIMARY KEY,
    "layoutJson" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "busCount" INTEGER NOT NULL,
    "crossings" INTEGER NOT NULL,
    "movedBuses" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "GridLayout_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
