import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseNetworkJson, type Network } from "@/lib/grid";
import { registryFromDso, type GridAssetRegistry } from "@/lib/market";
import { parseLightModel, type LightModel, type LightModelKey } from "@/lib/sensitivity/light-model";
import { auditData, recordAudit } from "./audit";
import { insertRows, Utf8Text } from "@/lib/db/sqlite-writer";
import { decodeSharedText, readSharedText, type SharedText } from "./db-text";
import { ApiError } from "./api-error";
import { nameTakenMessage, publishedNameKey } from "./grid-names";
import { serializableTransaction } from "@/lib/db/transaction";
import { testPause } from "./test-pause";
import { GRID_AND_DSO, publishedOrigin } from "./published";
import type { LightModelSummary } from "@/lib/wire/dso";

/**
 * Server-side store of the DSOs' light models (the published part is what the TSO may
 * read; the key stays here) and the DSO sides of the published ones, which the bid
 * congestion manager places assets with. Role checks belong to the routes calling this.
 */

const SUMMARY = {
  id: true,
  gridId: true,
  operatingPoints: true,
  locations: true,
  monitoredBuses: true,
  monitoredBranches: true,
  reactive: true,
  sizeBytes: true,
  published: true,
  publishedAt: true,
  createdAt: true,
} as const;

function toSummary(r: Prisma.LightModelGetPayload<{ select: typeof SUMMARY }>): LightModelSummary {
  return { ...r, publishedAt: r.publishedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() };
}

/** Store a light model and its key for a grid (validated against the schema first); publishLightModel publishes it. */
export function storeLightModel(prisma: PrismaClient, gridId: string, lightModel: unknown, key: LightModelKey): Promise<LightModelSummary> {
  return serializableTransaction(prisma, (tx) => storeLightModelIn(tx, gridId, lightModel, key));
}

/** storeLightModel inside the caller's transaction, with its audit event. */
async function storeLightModelIn(prisma: Prisma.TransactionClient, gridId: string, lightModel: unknown, key: LightModelKey): Promise<LightModelSummary> {
  const lm = parseLightModel(lightModel);
  if (key.modelId !== lm.modelId) throw new Error("the key does not belong to this light model");
  return storeCheckedLightModelIn(prisma, gridId, serializeLightModel(lm, key));
}

/** A checked light model and its key as stored: their JSON text and the summary's figures. */
export interface SerializedLightModel {
  modelJson: string;
  keyJson: string;
  operatingPoints: number;
  locations: number;
  monitoredBuses: number;
  monitoredBranches: number;
  reactive: boolean;
}

export function serializeLightModel(lm: LightModel, key: LightModelKey): SerializedLightModel {
  return {
    modelJson: JSON.stringify(lm),
    keyJson: JSON.stringify(key),
    operatingPoints: lm.operatingPoints.length,
    locations: lm.locations.length,
    monitoredBuses: lm.monitoredBuses.length,
    monitoredBranches: lm.monitoredBranches.length,
    reactive: lm.reactive,
  };
}

/** A checked light model as the worker pool hands it over: its texts as UTF-8 bytes (transferred, see lib/server/pool/tasks.ts). */
export interface SerializedLightModelBytes extends Omit<SerializedLightModel, "modelJson" | "keyJson"> {
  modelUtf8: Uint8Array<ArrayBuffer>;
  keyUtf8: Uint8Array<ArrayBuffer>;
}

export function lightModelBytes({ modelJson, keyJson, ...counts }: SerializedLightModel): SerializedLightModelBytes {
  const utf8 = new TextEncoder();
  return { ...counts, modelUtf8: utf8.encode(modelJson), keyUtf8: utf8.encode(keyJson) };
}

/**
 * Store a checked light model, unpublished, with its audit event, in one transaction: on
 * SQLite by the writer thread (lib/db/sqlite-writer.ts), as a model of 4–15 MB held the
 * request thread for hundreds of milliseconds. The bytes are unusable afterwards.
 */
export async function storeLightModelBytes(prisma: PrismaClient, gridId: string, m: SerializedLightModelBytes): Promise<LightModelSummary> {
  const { ownerId } = await prisma.grid.findUniqueOrThrow({ where: { id: gridId }, select: { ownerId: true } });
  const { modelUtf8, keyUtf8, ...counts } = m;
  const row = { id: randomUUID(), gridId, ...counts, sizeBytes: modelUtf8.byteLength, published: false, publishedAt: null, createdAt: new Date() };
  await insertRows(prisma, [
    { model: "lightModel", data: { ...row, modelJson: new Utf8Text(modelUtf8), keyJson: new Utf8Text(keyUtf8) } },
    {
      model: "auditEvent",
      data: auditData({ action: "lightmodel.store", objectType: "lightModel", objectId: row.id, ownerId, detail: { gridId, operatingPoints: m.operatingPoints, locations: m.locations } }),
    },
  ]);
  return toSummary(row);
}

/** Store a checked light model inside the caller's transaction, with its audit event. */
async function storeCheckedLightModelIn(prisma: Prisma.TransactionClient, gridId: string, m: SerializedLightModel): Promise<LightModelSummary> {
  const id = randomUUID();
  const { ownerId } = await prisma.grid.findUniqueOrThrow({ where: { id: gridId }, select: { ownerId: true } });
  await recordAudit(prisma, { action: "lightmodel.store", objectType: "lightModel", objectId: id, ownerId, detail: { gridId, operatingPoints: m.operatingPoints, locations: m.locations } });
  const row = await prisma.lightModel.create({
    data: { id, gridId, ...m, sizeBytes: Buffer.byteLength(m.modelJson) },
    select: SUMMARY,
  });
  return toSummary(row);
}

export async function listLightModels(prisma: PrismaClient, gridId: string): Promise<LightModelSummary[]> {
  const rows = await prisma.lightModel.findMany({ where: { gridId }, select: SUMMARY, orderBy: { createdAt: "desc" } });
  return rows.map(toSummary);
}

/**
 * Publish one light model of a grid; at most one per grid is published at a time, and
 * no two published grids share a name (publishedNameKey): the grid's name is recorded
 * as its published name under a unique index, in the same transaction. A name another
 * published grid holds → 409, nothing changed.
 */
export async function publishLightModel(prisma: PrismaClient, gridId: string, lightModelId: string): Promise<LightModelSummary> {
  return publishLightModelWith(prisma, gridId, () => Promise.resolve(lightModelId));
}

async function publishedNameTaken(db: Pick<PrismaClient, "grid">, gridId: string, key: string): Promise<string | null> {
  const others = await db.grid.findMany({ where: { publishedName: { not: null }, id: { not: gridId } }, select: { name: true } });
  return others.find((o) => publishedNameKey(o.name) === key)?.name ?? null;
}

/** The grid's name and published-name key when no other published grid holds that name; 409 otherwise. */
export async function checkPublishableName(prisma: PrismaClient, gridId: string): Promise<{ grid: { name: string; ownerId: string }; key: string }> {
  const grid = await prisma.grid.findUniqueOrThrow({ where: { id: gridId }, select: { name: true, ownerId: true } });
  const key = publishedNameKey(grid.name);
  const clash = await publishedNameTaken(prisma, gridId, key);
  if (clash) throw new ApiError("conflict", nameTakenMessage(clash));
  return { grid, key };
}

/**
 * Publish the light model `prepare` names (it may store it first, in the same
 * transaction: an upload with publish is stored and published, or neither), with its
 * audit event.
 */
async function publishLightModelWith(prisma: PrismaClient, gridId: string, prepare: (tx: Prisma.TransactionClient) => Promise<string>): Promise<LightModelSummary> {
  const { grid, key } = await checkPublishableName(prisma, gridId);
  try {
    return await serializableTransaction(prisma, async (tx) => {
      const lightModelId = await prepare(tx);
      const raced = await publishedNameTaken(tx, gridId, key);
      if (raced) throw new ApiError("conflict", nameTakenMessage(raced));
      await tx.grid.update({ where: { id: gridId }, data: { publishedName: key } });
      await testPause("light-model-publish");
      await tx.lightModel.updateMany({ where: { gridId, published: true }, data: { published: false, publishedAt: null } });
      const row = await tx.lightModel.update({ where: { id: lightModelId, gridId }, data: { published: true, publishedAt: new Date() }, select: SUMMARY });
      await recordAudit(tx, { action: "lightmodel.publish", objectType: "lightModel", objectId: lightModelId, ownerId: grid.ownerId, detail: { gridId, gridName: grid.name } });
      return toSummary(row);
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new ApiError("conflict", nameTakenMessage(grid.name));
    throw e;
  }
}

/** Everything the TSO may know of a published light model: the model itself and who published it. */
export interface PublishedLightModel {
  id: string;
  gridId: string;
  gridName: string;
  dso: string;
  publishedAt: string;
  model: LightModel;
}

/** The published light models' rows, oldest first, with who published them (their texts stay in the database). */
export async function publishedLightModelRows(prisma: PrismaClient): Promise<Omit<PublishedLightModel, "model">[]> {
  const rows = await prisma.lightModel.findMany({
    where: { published: true },
    select: { id: true, gridId: true, publishedAt: true, grid: GRID_AND_DSO },
    orderBy: { publishedAt: "asc" },
  });
  return rows.map((r) => ({ ...publishedOrigin(r), publishedAt: r.publishedAt!.toISOString() }));
}

/**
 * The published light models (PublishedLightModel[] under "lightModels") as JSON bytes, each
 * model's stored text placed as it is: it was written by JSON.stringify of the checked model,
 * so it is the JSON the model would serialize to, and nothing of 4–15 MB per model is parsed
 * or serialized on the request thread.
 */
export async function publishedLightModelsJson(prisma: PrismaClient): Promise<Uint8Array<ArrayBuffer>> {
  const utf8 = new TextEncoder();
  const parts: Uint8Array[] = [utf8.encode('{"lightModels":[')];
  for (const [k, row] of (await publishedLightModelRows(prisma)).entries()) {
    const text = await readSharedText(prisma, "LightModel.modelJson", row.id);
    if (!text) continue; // withdrawn between the two reads
    parts.push(utf8.encode(`${k ? "," : ""}${JSON.stringify(row).slice(0, -1)},"model":`), text, utf8.encode("}"));
  }
  parts.push(utf8.encode("]}"));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The published light models parsed: what a TSO client reads from publishedLightModelsJson. */
export async function publishedLightModels(prisma: PrismaClient): Promise<PublishedLightModel[]> {
  return (JSON.parse(new TextDecoder().decode(await publishedLightModelsJson(prisma))) as { lightModels: PublishedLightModel[] }).lightModels;
}

/** One published light model's stored JSON as bytes; null when no published model has this id. */
export async function publishedLightModelBytes(prisma: PrismaClient, id: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const published = await prisma.lightModel.findFirst({ where: { id, published: true }, select: { id: true } });
  const text = published ? await readSharedText(prisma, "LightModel.modelJson", id) : null;
  // A copy off the shared buffer (a response body cannot be shared memory): a memcpy, no decoding.
  return text ? new Uint8Array(text) : null;
}

/** The DSO side of a published light model: grid, key and model (never sent to the TSO). */
export interface DsoSide {
  lightModelId: string;
  gridId: string;
  gridName: string;
  demoMode: boolean;
  network: Network;
  key: LightModelKey;
  model: LightModel;
}

/** A published light model's row with its grid, as stored (JSON text): what sidesFromRows reads. */
export interface PublishedSideRow {
  id: string;
  gridId: string;
  modelJson: string;
  keyJson: string;
  grid: { name: string; networkJson: string; demoMode: boolean };
}

/** A published light model's row with its texts as shared UTF-8 bytes (lib/server/db-text.ts): what a BCM run hands to the worker pool. */
export interface SharedSideRow {
  id: string;
  gridId: string;
  gridName: string;
  demoMode: boolean;
  text: { modelJson: SharedText; keyJson: SharedText; networkJson: SharedText };
}

/**
 * A light model's stored text never changes once written, nor does its grid's network:
 * both are kept per light model id, so a BCM run or a portfolio upload reads the
 * megabytes of a published model once, not on every request, and in slices that each
 * hold the event loop for a millisecond or so (readSharedText). They are kept as shared
 * bytes: a BCM run passes them to the worker pool without copying them. Names and demo
 * mode are read every time.
 */
const storedText = new Map<string, SharedSideRow["text"]>();

/** The published light models with their stored texts as shared bytes, oldest publication first. */
export async function publishedSharedSideRows(prisma: PrismaClient): Promise<SharedSideRow[]> {
  const heads = await prisma.lightModel.findMany({
    where: { published: true },
    select: { id: true, gridId: true, grid: { select: { name: true, demoMode: true } } },
    orderBy: { publishedAt: "asc" },
  });
  for (const h of heads) {
    if (storedText.has(h.id)) continue;
    const [modelJson, keyJson, networkJson] = [
      await readSharedText(prisma, "LightModel.modelJson", h.id),
      await readSharedText(prisma, "LightModel.keyJson", h.id),
      await readSharedText(prisma, "Grid.networkJson", h.gridId),
    ];
    if (modelJson && keyJson && networkJson) storedText.set(h.id, { modelJson, keyJson, networkJson });
  }
  const live = new Set(heads.map((h) => h.id));
  for (const id of storedText.keys()) if (!live.has(id)) storedText.delete(id);
  return heads.flatMap((h) => {
    const text = storedText.get(h.id);
    return text ? [{ id: h.id, gridId: h.gridId, gridName: h.grid.name, demoMode: h.grid.demoMode, text }] : [];
  });
}

/** Rows whose texts are decoded from the shared bytes when first read (sidesFromRows reads them only for a model it has not parsed yet). */
export function rowsFromShared(rows: SharedSideRow[]): PublishedSideRow[] {
  return rows.map((r) => {
    const lazy = (bytes: SharedText) => {
      let text: string | undefined;
      return () => (text ??= decodeSharedText(bytes));
    };
    const [model, key, network] = [lazy(r.text.modelJson), lazy(r.text.keyJson), lazy(r.text.networkJson)];
    return {
      id: r.id,
      gridId: r.gridId,
      get modelJson() {
        return model();
      },
      get keyJson() {
        return key();
      },
      grid: {
        name: r.gridName,
        demoMode: r.demoMode,
        get networkJson() {
          return network();
        },
      },
    };
  });
}

async function publishedSideRows(prisma: PrismaClient): Promise<PublishedSideRow[]> {
  return rowsFromShared(await publishedSharedSideRows(prisma));
}

export async function publishedDsoSides(prisma: PrismaClient): Promise<DsoSide[]> {
  return sidesFromRows(await publishedSideRows(prisma));
}

/** Parsed network, key and model per light model id (immutable, as their text): parsed once per thread. */
const parsedSides = new Map<string, Pick<DsoSide, "network" | "key" | "model">>();

/** The DSO sides of published light models from their stored rows (no database: the worker pool runs this too). */
export function sidesFromRows(rows: PublishedSideRow[]): DsoSide[] {
  const live = new Set(rows.map((r) => r.id));
  for (const id of parsedSides.keys()) if (!live.has(id)) parsedSides.delete(id);
  return rows.map((r) => {
    let parsed = parsedSides.get(r.id);
    if (!parsed) {
      parsed = { network: parseNetworkJson(r.grid.networkJson), key: JSON.parse(r.keyJson) as LightModelKey, model: JSON.parse(r.modelJson) as LightModel };
      parsedSides.set(r.id, parsed);
    }
    return { lightModelId: r.id, gridId: r.gridId, gridName: r.grid.name, demoMode: r.grid.demoMode, ...parsed };
  });
}

/** Asset registries of the grids with a published light model (the BCM places assets with these). */
export function registriesOf(sides: DsoSide[]): GridAssetRegistry[] {
  return sides.map((s) => registryFromDso(s.gridId, s.gridName, s.network, s.key));
}
