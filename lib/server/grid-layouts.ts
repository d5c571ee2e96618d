import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import { moveBuses, parseStoredLayout, type StoredLayout } from "@/lib/layout/json";
import { auditedTransaction, recordAudit } from "./audit";
import { ApiError } from "./api-error";
import { getOwnedGrid, gridNetwork } from "./grids";
import { runTask } from "./pool";
import { serializableTransaction } from "@/lib/db/transaction";
import type { SessionUser } from "@/lib/wire/roles";
import type { GridLayoutSummary } from "@/lib/wire/dso";

/**
 * Schematic layouts stored with their grids (GridLayout): computed once in the DSO's
 * solver worker and stored here, nudged by hand, read back on every visit. A layout
 * mirrors the topology, so only the owning DSO reads or writes it here; the demo-mode
 * routes use `storedLayoutForDemo` and `storeDemoLayout`.
 */

const SUMMARY = { gridId: true, algorithm: true, busCount: true, crossings: true, movedBuses: true, updatedAt: true } as const;

function toSummary(row: { gridId: string; algorithm: string; busCount: number; crossings: number; movedBuses: number; updatedAt: Date }): GridLayoutSummary {
  return { ...row, updatedAt: row.updatedAt.toISOString() };
}

/** Bus ids of a grid (its ownership checked by the caller), in order: its network is parsed on the worker pool, not on the request thread. */
async function busIdsOf(prisma: PrismaClient, gridId: string): Promise<number[]> {
  return runTask("busIds", { network: await gridNetwork(prisma, gridId) });
}

/** A layout fits a grid when it names exactly its buses, in the network's order. */
function checkFits(layout: StoredLayout, busIds: number[]): void {
  if (layout.busIds.length !== busIds.length) {
    throw new ApiError("bad_request", `layout.busIds: the layout has ${layout.busIds.length} buses, the grid ${busIds.length}`);
  }
  const k = layout.busIds.findIndex((id, i) => id !== busIds[i]);
  if (k >= 0) throw new ApiError("bad_request", `layout.busIds[${k}]: expected bus ${busIds[k]} of this grid, got ${layout.busIds[k]}`);
}

/** The owner's stored layout as its JSON text (served as is), or null before the first one. */
export async function getOwnedLayoutJson(prisma: PrismaClient, user: SessionUser, gridId: string): Promise<string | null> {
  await getOwnedGrid(prisma, user, gridId);
  const row = await prisma.gridLayout.findUnique({ where: { gridId }, select: { layoutJson: true } });
  return row?.layoutJson ?? null;
}

async function upsert(prisma: Pick<PrismaClient, "gridLayout">, gridId: string, layout: StoredLayout): Promise<GridLayoutSummary> {
  const data = { layoutJson: JSON.stringify(layout), algorithm: layout.algorithm, busCount: layout.busIds.length, crossings: layout.crossings, movedBuses: layout.moved.length };
  const row = await prisma.gridLayout.upsert({ where: { gridId }, create: { gridId, ...data }, update: data, select: SUMMARY });
  return toSummary(row);
}

/** Store (or replace) the owner's layout of a grid; a layout for other buses is refused by field, and nothing is written. */
export async function storeOwnedLayout(prisma: PrismaClient, user: SessionUser, gridId: string, body: unknown): Promise<GridLayoutSummary> {
  const grid = await getOwnedGrid(prisma, user, gridId);
  let layout: StoredLayout;
  try {
    layout = parseStoredLayout(body);
  } catch (e) {
    throw new ApiError("bad_request", `layout.${(e as Error).message}`);
  }
  checkFits(layout, await busIdsOf(prisma, gridId));
  return auditedTransaction(
    prisma,
    { action: "grid.layout_store", objectType: "grid", objectId: gridId, ownerId: grid.ownerId, detail: { algorithm: layout.algorithm, buses: layout.busIds.length } },
    (tx) => upsert(tx, gridId, layout),
  );
}

/** Move buses of the owner's stored layout by hand; 404 before a layout is stored, 400 naming a bus not in the grid. */
export async function moveOwnedBuses(prisma: PrismaClient, user: SessionUser, gridId: string, moves: { busId: number; x: number; y: number }[]): Promise<GridLayoutSummary> {
  const grid = await getOwnedGrid(prisma, user, gridId);
  return serializableTransaction(prisma, async (tx) => {
    const row = await tx.gridLayout.findUnique({ where: { gridId }, select: { layoutJson: true } });
    if (!row) throw new ApiError("not_found", "this grid has no stored layout yet; open its diagram first");
    let moved: StoredLayout;
    try {
      moved = moveBuses(parseStoredLayout(JSON.parse(row.layoutJson)), moves);
    } catch (e) {
      throw new ApiError("bad_request", `moves: ${(e as Error).message}`);
    }
    await recordAudit(tx, { action: "grid.layout_move", objectType: "grid", objectId: gridId, ownerId: grid.ownerId, detail: { buses: moves.length } });
    return upsert(tx, gridId, moved);
  });
}

/** A grid's stored layout for a demo-mode drawing (the caller has checked demo mode), parsed; null before the first one. Whether it still fits is checked where the network is (tso-side.ts). */
export async function storedLayoutForDemo(prisma: PrismaClient, gridId: string): Promise<StoredLayout | null> {
  const row = await prisma.gridLayout.findUnique({ where: { gridId }, select: { layoutJson: true } });
  return row ? parseStoredLayout(JSON.parse(row.layoutJson)) : null;
}

/** Store a layout computed for a demo-mode drawing (with the same lib/layout code the DSO's worker runs), so it is computed once. */
export async function storeDemoLayout(prisma: PrismaClient, gridId: string, layout: StoredLayout): Promise<void> {
  await upsert(prisma, gridId, layout);
}
