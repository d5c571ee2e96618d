import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import type { LightOperatingPoint } from "@/lib/sensitivity/light-model";
import { auditedTransaction } from "./audit";
import { ApiError } from "./api-error";
import { recordTsoRun, relinearizeForTso, tsoMarketAndSides, validateForTso } from "./tso";
import type { RelinearizeInput, ValidationInput } from "./tso-side";
import { serializableTransaction } from "@/lib/db/transaction";
import type { SessionUser } from "@/lib/wire/roles";
import type { OpenedClearing, RunListItem, StoredRun, TsoValidation } from "@/lib/wire/tso";

/**
 * What bounds the TSO's questions to the DSO side. A validation or re-linearization
 * runs an AC power flow on a DSO's full grid and answers with what it found there, so
 * each one is tied to a clearing the TSO opened (POST /api/tso/clearings), which
 * records the bids it clears with: a dispatch must lie within what the published bids
 * offer at each location, only published grids of that clearing may be named, each
 * once per request, at most TSO_LIMITS.iterations times per clearing, re-linearized
 * only at a dispatch validated in it, and every TSO account has an hourly quota. Every
 * request — accepted or refused — is recorded for the grid's DSO to read.
 */
export const TSO_LIMITS = {
  /** Clearings (AC-verified iterations) per clearing: the browser's loop stops at 8. */
  iterations: 8,
  /** Grid validations and re-linearizations per TSO account per rolling hour. */
  requestsPerHour: 240,
  /** Clearings a TSO account may open per rolling hour. */
  clearingsPerHour: 60,
  /** How long a clearing accepts requests. */
  clearingMinutes: 30,
} as const;

/** Dispatch tolerance against the bid bounds (MW, MVAr): the clearing's rounding, not room to probe. */
const BOUND_TOL = 1e-6;

/** Per published light model: what its bids offer at each location (model order). */
interface ModelBounds {
  gridId: string;
  /** Sum of the downward volumes at the location (<= 0) and of the upward ones (>= 0), MW. */
  loMw: number[];
  hiMw: number[];
  /** Largest reactive change the bids there can cause, MVAr. */
  mvarAbs: number[];
  /** Opaque location ids, for messages. */
  locations: string[];
}
type Bounds = Record<string, ModelBounds>;

const HOUR_MS = 60 * 60 * 1000;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function dispatchSha(g: { locationMw: number[]; locationMvar: number[] }): string {
  return sha256(JSON.stringify([g.locationMw, g.locationMvar]));
}

/** Open a clearing: the market the TSO clears with (the same bids as GET /api/tso/bids) and its bounds, recorded. */
export async function openTsoClearing(prisma: PrismaClient, user: SessionUser, requestMw: number, now = new Date()): Promise<OpenedClearing> {
  const recent = await prisma.tsoClearing.count({ where: { userId: user.id, createdAt: { gt: new Date(now.getTime() - HOUR_MS) } } });
  if (recent >= TSO_LIMITS.clearingsPerHour) {
    throw new ApiError("too_many_requests", `quota: ${user.username} opened ${recent} clearings in the last hour; the limit is ${TSO_LIMITS.clearingsPerHour} per hour`);
  }
  const { market, sides } = await tsoMarketAndSides(prisma);
  const bounds: Bounds = {};
  for (const side of sides) {
    const index = new Map(side.locations.map((id, k) => [id, k]));
    const n = side.locations.length;
    const b: ModelBounds = { gridId: side.gridId, loMw: new Array(n).fill(0), hiMw: new Array(n).fill(0), mvarAbs: new Array(n).fill(0), locations: side.locations };
    for (const bid of market.grids.find((g) => g.lightModelId === side.lightModelId)?.bids ?? []) {
      const k = index.get(bid.location);
      if (k === undefined) continue;
      if (bid.volumeMw > 0) b.hiMw[k] += bid.volumeMw;
      else b.loMw[k] += bid.volumeMw;
      b.mvarAbs[k] += Math.abs((bid.qPerP ?? 0) * bid.volumeMw);
    }
    bounds[side.lightModelId] = b;
  }
  const expiresAt = new Date(now.getTime() + TSO_LIMITS.clearingMinutes * 60 * 1000);
  const id = randomUUID();
  const row = await auditedTransaction(prisma, { action: "tso.clearing_open", objectType: "tsoClearing", objectId: id, ownerId: user.id, detail: { requestMw, grids: sides.length } }, (tx) =>
    tx.tsoClearing.create({ data: { id, userId: user.id, requestMw, boundsJson: JSON.stringify(bounds), expiresAt, createdAt: now } }),
  );
  return { clearing: { id: row.id, requestMw, expiresAt: expiresAt.toISOString(), maxIterations: TSO_LIMITS.iterations }, market };
}

interface OpenClearing {
  id: string;
  bounds: Bounds;
}

/** The caller's open clearing; 404 for another account's or an unknown one, 409 once it expired or was stored. */
async function clearingOf(prisma: PrismaClient, user: SessionUser, id: string, now: Date, forRecording = false): Promise<OpenClearing> {
  const row = await prisma.tsoClearing.findUnique({ where: { id } });
  if (!row || row.userId !== user.id) throw new ApiError("not_found", `you have no clearing ${id}; open one first (POST /api/tso/clearings)`);
  if (row.runId && !forRecording) throw new ApiError("conflict", `clearing ${id} is finished (stored as run ${row.runId}); open a new one`);
  if (row.runId) throw new ApiError("conflict", `clearing ${id} is already stored as run ${row.runId}`);
  if (row.expiresAt.getTime() <= now.getTime()) throw new ApiError("conflict", `clearing ${id} expired after ${TSO_LIMITS.clearingMinutes} minutes; open a new one`);
  return { id: row.id, bounds: JSON.parse(row.boundsJson) as Bounds };
}

/** Why a dispatch is not one the clearing's bids could deliver, or null. */
function outsideOffers(b: ModelBounds, g: { locationMw: number[]; locationMvar: number[] }): string | null {
  const n = b.locations.length;
  if (g.locationMw.length !== n || g.locationMvar.length !== n)
    return `the dispatch has ${g.locationMw.length} active and ${g.locationMvar.length} reactive values; the light model has ${n} locations`;
  for (let k = 0; k < n; k++) {
    const mw = g.locationMw[k];
    if (!(mw >= b.loMw[k] - BOUND_TOL && mw <= b.hiMw[k] + BOUND_TOL)) {
      return `${mw} MW at location ${b.locations[k]} lies outside what the published bids offer there (${b.loMw[k].toFixed(6)} … ${b.hiMw[k].toFixed(6)} MW)`;
    }
    if (!(Math.abs(g.locationMvar[k]) <= b.mvarAbs[k] + BOUND_TOL)) {
      return `${g.locationMvar[k]} MVAr at location ${b.locations[k]} exceeds what the published bids there can cause (±${b.mvarAbs[k].toFixed(6)} MVAr)`;
    }
  }
  return null;
}

interface LogEntry {
  clearingId: string | null;
  gridId: string | null;
  lightModelId: string;
  kind: "validate" | "relinearize";
  iteration: number;
  dispatch: { locationMw: number[]; locationMvar: number[] } | null;
  accepted: boolean;
  outcome: string;
  resultSha256?: string;
}

/** Record what the TSO asked (for the grid's DSO), keeping the dispatch only when it has the model's shape. */
async function record(prisma: PrismaClient, user: SessionUser, e: LogEntry, bounds?: ModelBounds): Promise<void> {
  const shaped = e.dispatch && bounds && e.dispatch.locationMw.length === bounds.locations.length && e.dispatch.locationMvar.length === bounds.locations.length;
  // A light model outside the clearing may still be one of a DSO's (an unpublished version): that DSO sees the request.
  const gridId = e.gridId ?? (await prisma.lightModel.findUnique({ where: { id: e.lightModelId }, select: { gridId: true } }))?.gridId ?? null;
  const ownerId = gridId ? ((await prisma.grid.findUnique({ where: { id: gridId }, select: { ownerId: true } }))?.ownerId ?? null) : null;
  const mw = shaped ? e.dispatch!.locationMw : [];
  const id = randomUUID();
  // The grid's DSO sees what the TSO asked of its grid; the TSO its own requests.
  const event = {
    action: `tso.${e.kind}`,
    objectType: "lightModel",
    objectId: e.lightModelId.slice(0, 100),
    ownerId,
    outcome: e.accepted ? ("ok" as const) : ("refused" as const),
    detail: { clearingId: e.clearingId, tsoRequestId: id, iteration: e.iteration, ...(e.accepted ? {} : { reason: e.outcome.slice(0, 200) }) },
  };
  await auditedTransaction(prisma, event, (tx) =>
    tx.tsoRequest.create({
      data: {
        id,
        clearingId: e.clearingId,
        userId: user.id,
        gridId,
        lightModelId: e.lightModelId.slice(0, 100),
        kind: e.kind,
        iteration: e.iteration,
        totalMw: mw.reduce((s, x) => s + x, 0),
        activeLocations: mw.filter((x) => Math.abs(x) > BOUND_TOL).length,
        dispatchJson: shaped ? JSON.stringify({ locationMw: e.dispatch!.locationMw, locationMvar: e.dispatch!.locationMvar }) : null,
        dispatchSha256: shaped ? dispatchSha(e.dispatch!) : null,
        resultSha256: e.resultSha256 ?? null,
        accepted: e.accepted,
        outcome: e.outcome.slice(0, 500),
      },
    }),
  );
}

/** 429 when the account's requests of the last hour and these would pass the quota. */
async function checkQuota(prisma: PrismaClient, user: SessionUser, adding: number, now: Date): Promise<void> {
  const since = new Date(now.getTime() - HOUR_MS);
  const used = await prisma.tsoRequest.count({ where: { userId: user.id, createdAt: { gt: since } } });
  if (used + adding > TSO_LIMITS.requestsPerHour) {
    const oldest = await prisma.tsoRequest.findFirst({ where: { userId: user.id, createdAt: { gt: since } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    const next = new Date((oldest?.createdAt ?? now).getTime() + HOUR_MS).toISOString().slice(11, 16);
    throw new ApiError(
      "too_many_requests",
      `quota: ${user.username} made ${used} validation and re-linearization requests in the last hour; the limit is ${TSO_LIMITS.requestsPerHour} per hour (room again at ${next} UTC)`,
    );
  }
}

/** The grid's accepted requests of one kind in this clearing, oldest first. */
function accepted(prisma: PrismaClient, clearingId: string, lightModelId: string, kind: "validate" | "relinearize") {
  return prisma.tsoRequest.findMany({
    where: { clearingId, lightModelId, kind, accepted: true },
    orderBy: { createdAt: "asc" },
    select: { iteration: true, dispatchSha256: true, resultSha256: true },
  });
}

/** The refusal of a request about one grid of a clearing, recorded for the DSO first. */
async function refusal(prisma: PrismaClient, user: SessionUser, e: Omit<LogEntry, "accepted">, bounds: ModelBounds | undefined): Promise<ApiError> {
  await record(prisma, user, { ...e, accepted: false }, bounds);
  return new ApiError("bad_request", e.outcome);
}

export interface ValidateRequest {
  clearingId: string;
  iteration: number;
  grids: ValidationInput[];
}

/** Validate a clearing's dispatch on the DSO side, grid by grid, within the bounds above. */
export async function validateInClearing(prisma: PrismaClient, user: SessionUser, req: ValidateRequest, now = new Date()): Promise<TsoValidation[]> {
  const clearing = await clearingOf(prisma, user, req.clearingId, now);
  await checkQuota(prisma, user, req.grids.length, now);
  const seen = new Set<string>();
  for (const [k, g] of req.grids.entries()) {
    const b = clearing.bounds[g.lightModelId];
    const entry = { clearingId: clearing.id, gridId: b?.gridId ?? null, lightModelId: g.lightModelId, kind: "validate" as const, iteration: req.iteration, dispatch: g };
    const refused = (why: string) => refusal(prisma, user, { ...entry, outcome: `grids[${k}]: ${why}` }, b);
    if (!b) throw await refused(`light model ${g.lightModelId} is not one this clearing was opened with`);
    if (seen.has(g.lightModelId)) throw await refused(`light model ${g.lightModelId} is named twice; each grid once per request`);
    seen.add(g.lightModelId);
    const outside = outsideOffers(b, g);
    if (outside) throw await refused(outside);
    const done = await accepted(prisma, clearing.id, g.lightModelId, "validate");
    if (done.length >= TSO_LIMITS.iterations) throw await refused(`this clearing validated the grid ${done.length} times already; the limit is ${TSO_LIMITS.iterations}`);
    const points = await accepted(prisma, clearing.id, g.lightModelId, "relinearize");
    const added = g.addedOperatingPoints;
    if (added.length > points.length || added.some((p, j) => sha256(JSON.stringify(p)) !== points[j].resultSha256)) {
      throw await refused("addedOperatingPoints must be the points this clearing's re-linearizations returned, in order");
    }
  }
  const out: TsoValidation[] = [];
  for (const g of req.grids) {
    const b = clearing.bounds[g.lightModelId];
    const v = await validateForTso(prisma, g);
    await record(
      prisma,
      user,
      { clearingId: clearing.id, gridId: b.gridId, lightModelId: g.lightModelId, kind: "validate", iteration: req.iteration, dispatch: g, accepted: true, outcome: v.verdict },
      b,
    );
    out.push(v);
  }
  return out;
}

/** Re-linearize a grid at a dispatch this clearing validated, within the bounds above. */
export async function relinearizeInClearing(prisma: PrismaClient, user: SessionUser, req: RelinearizeInput & { clearingId: string }, now = new Date()): Promise<LightOperatingPoint> {
  const clearing = await clearingOf(prisma, user, req.clearingId, now);
  await checkQuota(prisma, user, 1, now);
  const b = clearing.bounds[req.lightModelId];
  const entry = { clearingId: clearing.id, gridId: b?.gridId ?? null, lightModelId: req.lightModelId, kind: "relinearize" as const, iteration: req.iteration, dispatch: req };
  const refused = (why: string) => refusal(prisma, user, { ...entry, outcome: why }, b);
  if (!b) throw await refused(`light model ${req.lightModelId} is not one this clearing was opened with`);
  const outside = outsideOffers(b, req);
  if (outside) throw await refused(outside);
  const validated = await accepted(prisma, clearing.id, req.lightModelId, "validate");
  const last = validated.at(-1);
  if (!last || last.iteration !== req.iteration || last.dispatchSha256 !== dispatchSha(req)) {
    throw await refused(`re-linearize only at the dispatch this clearing validated last for the grid (iteration ${last?.iteration ?? "none yet"})`);
  }
  const points = await accepted(prisma, clearing.id, req.lightModelId, "relinearize");
  if (points.length >= TSO_LIMITS.iterations - 1) throw await refused(`this clearing re-linearized the grid ${points.length} times already; the limit is ${TSO_LIMITS.iterations - 1}`);
  const point = await relinearizeForTso(prisma, req);
  await record(prisma, user, { ...entry, accepted: true, outcome: `re-linearized: ${point.id}`, resultSha256: sha256(JSON.stringify(point)) }, b);
  return point;
}

/**
 * Store a finished clearing as a run: it must be the caller's open clearing, and each
 * grid's dispatch must lie within its bounds. The run and the clearing's link to it are
 * written in one transaction; a clearing is stored once.
 */
export async function recordRunOfClearing(prisma: PrismaClient, user: SessionUser, run: StoredRun & { clearingId: string }, now = new Date()): Promise<RunListItem> {
  const clearing = await clearingOf(prisma, user, run.clearingId, now, true);
  run.grids.forEach((g, k) => {
    const b = clearing.bounds[g.lightModelId];
    if (!b || b.gridId !== g.gridId) throw new ApiError("bad_request", `grids[${k}]: light model ${g.lightModelId} of grid ${g.gridId} is not one this clearing was opened with`);
    const outside = outsideOffers(b, g);
    if (outside) throw new ApiError("bad_request", `grids[${k}]: ${outside}`);
  });
  try {
    return await serializableTransaction(prisma, async (tx) => {
      const item = await recordTsoRun(tx, user, run);
      const linked = await tx.tsoClearing.updateMany({ where: { id: clearing.id, runId: null }, data: { runId: item.id } });
      if (linked.count !== 1) throw new ApiError("conflict", `clearing ${run.clearingId} is already stored`);
      return item;
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new ApiError("conflict", `clearing ${run.clearingId} is already stored`);
    throw e;
  }
}
