import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { describeGridError, writeNetworkJson, type Network } from "@/lib/grid";
import { auditData, auditedTransaction, recordAudit } from "./audit";
import { insertRows, Utf8Text } from "@/lib/db/sqlite-writer";
import { ApiError } from "./api-error";
import { readSharedText, type SharedText } from "./db-text";
import { cleanGridName, nameTakenMessage, publishedNameKey } from "./grid-names";
import { runTask } from "./pool";
import { serializableTransaction } from "@/lib/db/transaction";
import type { SessionUser } from "@/lib/wire/roles";
import type { GridSourceFormat, GridSummary } from "@/lib/wire/dso";

const SUMMARY_SELECT = {
  id: true,
  name: true,
  sourceFormat: true,
  fileName: true,
  busCount: true,
  branchCount: true,
  fpuCount: true,
  createdAt: true,
} as const;

type SummaryRow = { [K in keyof typeof SUMMARY_SELECT]: K extends "createdAt" ? Date : K extends "sourceFormat" ? string : GridSummary[K] };

function toSummary(row: SummaryRow): GridSummary {
  return { ...row, sourceFormat: row.sourceFormat as GridSourceFormat, createdAt: row.createdAt.toISOString() };
}

/** Store an already validated network for its owner. */
export async function storeNetwork(prisma: PrismaClient, ownerId: string, net: Network, source: { name: string; sourceFormat: GridSourceFormat; fileName: string | null }): Promise<GridSummary> {
  const counts = { busCount: net.buses.length, branchCount: net.branches.length, fpuCount: net.fpus.length };
  return storeNetworkJson(prisma, ownerId, { ...counts, networkUtf8: new TextEncoder().encode(writeNetworkJson(net)) }, source);
}

/**
 * Store a validated network already serialized (by the worker pool) as project JSON in UTF-8,
 * with its audit event. The bytes are handed on (transferred: unusable afterwards).
 */
export async function storeNetworkJson(
  prisma: PrismaClient,
  ownerId: string,
  net: { networkUtf8: Uint8Array<ArrayBuffer>; busCount: number; branchCount: number; fpuCount: number },
  source: { name: string; sourceFormat: GridSourceFormat; fileName: string | null },
): Promise<GridSummary> {
  const data = {
    id: randomUUID(),
    ownerId,
    name: cleanGridName(source.name),
    sourceFormat: source.sourceFormat,
    fileName: source.fileName,
    busCount: net.busCount,
    branchCount: net.branchCount,
    fpuCount: net.fpuCount,
  };
  const createdAt = new Date();
  const event = auditData({
    action: source.sourceFormat === "generated" ? "grid.generate" : "grid.upload",
    objectType: "grid",
    objectId: data.id,
    ownerId,
    detail: { name: data.name, fileName: data.fileName, buses: data.busCount },
  });
  // Off the request thread on SQLite (lib/db/sqlite-writer.ts): the text is up to tens of MB.
  await insertRows(prisma, [
    { model: "grid", data: { ...data, networkJson: new Utf8Text(net.networkUtf8), createdAt, demoMode: false, publishedName: null } },
    { model: "auditEvent", data: event },
  ]);
  const { ownerId: _o, ...row } = data;
  return toSummary({ ...row, createdAt });
}

export async function listOwnGrids(prisma: PrismaClient, user: SessionUser): Promise<GridSummary[]> {
  const rows = await prisma.grid.findMany({ where: { ownerId: user.id }, select: SUMMARY_SELECT, orderBy: [{ createdAt: "asc" }, { name: "asc" }] });
  return rows.map(toSummary);
}

/**
 * Parse and validate an uploaded grid file with the importer — on the worker pool,
 * within the importer's limits and the pool's time limit — and only then store it.
 * A rejected file throws ApiError "bad_request" carrying the importer's message.
 */
export async function createGridFromFile(prisma: PrismaClient, user: SessionUser, upload: { fileName: string; text: string; name?: string }): Promise<GridSummary> {
  if (!upload.text.trim()) throw new ApiError("bad_request", `${upload.fileName}: the file is empty`);
  let parsed: Awaited<ReturnType<typeof runTask<"parseGridBytes">>>;
  try {
    const utf8 = new TextEncoder().encode(upload.text);
    parsed = await runTask("parseGridBytes", { fileName: upload.fileName, utf8 }, { transfer: [utf8.buffer] });
  } catch (e) {
    if (e instanceof ApiError) throw new ApiError(e.code, `${upload.fileName}: ${e.message}`);
    throw new ApiError("bad_request", `${upload.fileName}: ${describeGridError(e)}`);
  }
  const name = upload.name?.trim() || parsed.name;
  return storeNetworkJson(prisma, user.id, parsed, { name, sourceFormat: parsed.sourceFormat, fileName: upload.fileName });
}

/**
 * A grid the user owns, without its network's text (up to tens of MB: getOwnedGridNetwork);
 * 404 when it does not exist, 403 when it belongs to someone else.
 */
export async function getOwnedGrid(prisma: PrismaClient, user: SessionUser, id: string) {
  const grid = await prisma.grid.findUnique({ where: { id }, omit: { networkJson: true } });
  if (!grid) throw new ApiError("not_found", `no grid with id ${id}`);
  if (grid.ownerId !== user.id) throw new ApiError("forbidden", "this grid belongs to another operator");
  return grid;
}

/** The network of a grid the user owns (project JSON) as UTF-8 bytes, read without holding the request thread (lib/server/db-text.ts). */
export async function getOwnedGridNetwork(prisma: PrismaClient, user: SessionUser, id: string): Promise<SharedText> {
  await getOwnedGrid(prisma, user, id);
  return gridNetwork(prisma, id);
}

/** The network of a grid whose ownership the caller has checked (getOwnedGrid, requireOwnedGrid), as getOwnedGridNetwork reads it. */
export async function gridNetwork(prisma: PrismaClient, id: string): Promise<SharedText> {
  const text = await readSharedText(prisma, "Grid.networkJson", id);
  if (!text) throw new ApiError("not_found", `no grid with id ${id}`);
  return text;
}

export async function getOwnedGridSummary(prisma: PrismaClient, user: SessionUser, id: string): Promise<GridSummary> {
  const { ownerId: _o, ...row } = await getOwnedGrid(prisma, user, id);
  return toSummary(row);
}

export async function deleteOwnedGrid(prisma: PrismaClient, user: SessionUser, id: string): Promise<void> {
  const grid = await getOwnedGrid(prisma, user, id);
  await auditedTransaction(prisma, { action: "grid.delete", objectType: "grid", objectId: id, ownerId: grid.ownerId, detail: { name: grid.name } }, (tx) => tx.grid.delete({ where: { id } }));
}

/**
 * Rename the owner's grid. While the grid is published, the new name must not be one
 * another published grid holds (409); the published name changes with it, in one
 * transaction.
 */
export async function renameOwnedGrid(prisma: PrismaClient, user: SessionUser, id: string, rawName: string): Promise<GridSummary> {
  const grid = await getOwnedGrid(prisma, user, id);
  const name = cleanGridName(rawName);
  const key = publishedNameKey(name);
  try {
    return await serializableTransaction(prisma, async (tx) => {
      if (grid.publishedName !== null) {
        const others = await tx.grid.findMany({ where: { publishedName: { not: null }, id: { not: id } }, select: { name: true } });
        const clash = others.find((o) => publishedNameKey(o.name) === key);
        if (clash) throw new ApiError("conflict", nameTakenMessage(clash.name).replace("before publishing it", "or keep its name"));
      }
      const row = await tx.grid.update({ where: { id }, data: { name, ...(grid.publishedName !== null ? { publishedName: key } : {}) }, select: SUMMARY_SELECT });
      await recordAudit(tx, { action: "grid.rename", objectType: "grid", objectId: id, ownerId: grid.ownerId, detail: { from: grid.name, to: name } });
      return toSummary(row);
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new ApiError("conflict", nameTakenMessage(name));
    throw e;
  }
}
