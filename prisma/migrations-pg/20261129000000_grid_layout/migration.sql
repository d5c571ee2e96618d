-- Schematic layouts of grids without geography (issue 18), one per grid.
-- PostgreSQL dialect, the twin of prisma/migrations/20261129000000_grid_layout (same tables and columns).

CREATE TABLE "GridLayout" (
    "gridId" TEXT NOT NULL PRIMARY KEY,
    "layoutJson" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "busCount" INTEGER NOT NULL,
    "crossings" INTEGER NOT NULL,
    "movedBuses" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "GridLayout_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
