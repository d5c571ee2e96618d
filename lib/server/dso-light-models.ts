import "server-only";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { parseNetworkJson } from "@/lib/grid";
import { flexLocations } from "@/lib/sensitivity/locations";
import { LightModelError, parseLightModel, type LightModel, type LightModelKey } from "@/lib/sensitivity/light-model";
import { LIGHT_MODEL_LIMITS } from "@/lib/limits";
import { scanJsonText } from "@/lib/limits/json-scan";
import { ApiError } from "./api-error";
import { recordAudit } from "./audit";
import { auditedTransaction } from "./audit";
import { checkPublishableName, lightModelBytes, publishLightModel, serializeLightModel, storeLightModelBytes, type SerializedLightModelBytes } from "./market";
import type { LightModelSummary } from "@/lib/wire/dso";

/**
 * The DSO's side of publishing: a light model computed in the browser's worker
 * arrives with its private key. Both are checked — the model with the strict schema,
 * the key against the model's ids and against the grid — before anything is stored,
 * so a stored pair can always be restored (lib/clearing restoreDso) and validated.
 */

const keySchema = z.strictObject({
  modelId: z.string().min(1),
  locations: z.array(z.strictObject({ id: z.string().min(1), bus: z.number().int(), fpuIds: z.array(z.string()) })),
  buses: z.array(z.strictObject({ id: z.string().min(1), bus: z.number().int() })),
  branches: z.array(z.strictObject({ id: z.string().min(1), branch: z.string().min(1) })),
});

function sameIds(what: string, key: string[], model: string[]): void {
  if (key.length !== model.length) throw new ApiError("bad_request", `key.${what}: ${key.length} entries for ${model.length} in the light model`);
  const k = key.findIndex((id, i) => id !== model[i]);
  if (k >= 0) throw new ApiError("bad_request", `key.${what}[${k}]: id '${key[k]}' where the light model has '${model[k]}'`);
}

/** POST body of a light-model upload: the light model and its key as the browser's worker built them. */
const lightModelUploadSchema = z.strictObject({
  lightModel: z.unknown(),
  key: z.unknown(),
  publish: z.boolean(),
});

/**
 * A light-model upload from its raw body to what is stored: UTF-8, held against
 * LIGHT_MODEL_LIMITS (size, nesting) before JSON.parse, the body's schema, then the
 * model and key as checkLightModelUpload checks them, serialized for storage. Runs on
 * the worker pool (task "checkLightModelUpload"): a model of up to 256 MB is parsed,
 * decoded and checked without holding the request thread.
 */
export function prepareLightModelUpload(body: Uint8Array, networkJson: string): { model: SerializedLightModelBytes; publish: boolean } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new ApiError("bad_request", "the request body is not valid JSON");
  }
  // The body wraps the model one level deeper.
  const over = scanJsonText(text, { fileBytes: LIGHT_MODEL_LIMITS.fileBytes, nestingDepth: LIGHT_MODEL_LIMITS.nestingDepth + 1 });
  if (over) throw new ApiError("bad_request", `the request body, line ${over.line}: ${over.message}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "the request body is not valid JSON");
  }
  const res = lightModelUploadSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new ApiError("bad_request", (issue.path.length ? `${issue.path.join(".")}: ` : "") + issue.message);
  }
  const { lightModel, key } = checkLightModelUpload(networkJson, res.data.lightModel, res.data.key);
  return { model: lightModelBytes(serializeLightModel(lightModel, key)), publish: res.data.publish };
}

/** The light model (strict schema) and its key, checked against each other and against the grid's network. */
function checkLightModelUpload(networkJson: string, rawModel: unknown, rawKey: unknown): { lightModel: LightModel; key: LightModelKey } {
  let lightModel: LightModel;
  try {
    lightModel = parseLightModel(rawModel);
  } catch (e) {
    if (e instanceof LightModelError) throw new ApiError("bad_request", e.message);
    throw e;
  }
  const parsed = keySchema.safeParse(rawKey);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError("bad_request", `key${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`);
  }
  const key: LightModelKey = parsed.data;
  if (key.modelId !== lightModel.modelId) throw new ApiError("bad_request", `the key belongs to light model ${key.modelId}, not ${lightModel.modelId}`);
  sameIds(
    "locations",
    key.locations.map((l) => l.id),
    lightModel.locations,
  );
  sameIds(
    "buses",
    key.buses.map((b) => b.id),
    lightModel.monitoredBuses,
  );
  sameIds(
    "branches",
    key.branches.map((b) => b.id),
    lightModel.monitoredBranches,
  );

  const net = parseNetworkJson(networkJson);
  const locationBuses = new Set(flexLocations(net).map((l) => l.bus));
  const buses = new Set(net.buses.map((b) => b.id));
  const rated = new Set(net.branches.filter((b) => b.rateAMva > 0).map((b) => b.id));
  key.locations.forEach((l, k) => {
    if (!locationBuses.has(l.bus)) throw new ApiError("bad_request", `key.locations[${k}]: bus ${l.bus} is not a flexibility location of this grid`);
  });
  key.buses.forEach((b, k) => {
    if (!buses.has(b.bus)) throw new ApiError("bad_request", `key.buses[${k}]: bus ${b.bus} is not in this grid`);
  });
  key.branches.forEach((b, k) => {
    if (!rated.has(b.branch)) throw new ApiError("bad_request", `key.branches[${k}]: branch '${b.branch}' is not a rated branch of this grid`);
  });
  return { lightModel, key };
}

/**
 * Store a checked light model for a grid; when publishing, it replaces the grid's published
 * one (publishLightModel: one published model per grid). The model is stored first, on its
 * own (off the request thread, lib/server/market.ts storeLightModelBytes), then published: a
 * name another published grid holds is refused before anything is stored, and a publish
 * refused after the store (a name taken in between) removes the stored model again. A server
 * stopped between the two leaves the model stored and unpublished, as "store" would.
 */
export async function storeUploadedLightModel(prisma: PrismaClient, gridId: string, upload: { model: SerializedLightModelBytes; publish: boolean }): Promise<LightModelSummary> {
  if (upload.publish) await checkPublishableName(prisma, gridId);
  const stored = await storeLightModelBytes(prisma, gridId, upload.model);
  if (!upload.publish) return stored;
  try {
    return await publishLightModel(prisma, gridId, stored.id);
  } catch (e) {
    const { ownerId } = await prisma.grid.findUniqueOrThrow({ where: { id: gridId }, select: { ownerId: true } });
    await auditedTransaction(prisma, { action: "lightmodel.discard", objectType: "lightModel", objectId: stored.id, ownerId, detail: { gridId, reason: "its publish was refused" } }, (tx) =>
      tx.lightModel.deleteMany({ where: { id: stored.id, gridId, published: false } }),
    );
    throw e;
  }
}

/** The stored light model of a grid (the TSO-visible part), as its JSON text; 404 when the grid has no such model. */
export async function storedLightModelJson(prisma: PrismaClient, gridId: string, id: string): Promise<string> {
  const row = await prisma.lightModel.findFirst({ where: { id, gridId }, select: { modelJson: true } });
  if (!row) throw new ApiError("not_found", `grid ${gridId} has no light model ${id}`);
  return row.modelJson;
}

/** Publish an already stored light model of the grid (replacing the published one). */
export async function publishStoredLightModel(prisma: PrismaClient, gridId: string, id: string): Promise<LightModelSummary> {
  if (!(await prisma.lightModel.findFirst({ where: { id, gridId }, select: { id: true } }))) {
    throw new ApiError("not_found", `grid ${gridId} has no light model ${id}`);
  }
  return publishLightModel(prisma, gridId, id);
}

/** Let the TSO see the grid on its map (the labelled demonstrator mode), or stop it; audited. */
export async function setDemoMode(prisma: PrismaClient, gridId: string, demoMode: boolean): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.grid.update({ where: { id: gridId }, data: { demoMode }, select: { demoMode: true, ownerId: true, name: true } });
    await recordAudit(tx, { action: "grid.demo_mode", objectType: "grid", objectId: gridId, ownerId: row.ownerId, detail: { demoMode, name: row.name } });
    return row.demoMode;
  });
}
