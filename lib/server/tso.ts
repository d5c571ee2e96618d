import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { addOperatingPoint, applyDispatch, restoreDso, validateDispatch, type DispatchToValidate } from "@/lib/clearing";
import { worstExcess } from "@/lib/clearing/verify-step";
import type { Bid } from "@/lib/market";
import { solvePowerFlow, type PowerFlowResult } from "@/lib/powerflow";
import { decodeOperatingPoints, LightModelError, parseLightModel, type LightModel, type LightOperatingPoint } from "@/lib/sensitivity/light-model";
import { recordAudit } from "./audit";
import { ApiError } from "./api-error";
import { readSharedText } from "./db-text";
import { publishedDsoSides, publishedLightModelRows, type DsoSide } from "./market";
import { runTask } from "./pool";
import { loadMarket } from "./market-bids";
import type { SessionUser } from "@/lib/wire/roles";
import type { PublishedModelSummary, TsoBid, TsoMarket, TsoValidation, StoredRunGrid, StoredRun, RunListItem } from "@/lib/wire/tso";

/**
 * The TSO's side of the platform, served by app/api/tso/*. The TSO reads the
 * published light models and the bids by opaque location; the DSO side (its grid
 * and key) stays on the server, which acts for the DSO when it validates a dispatch
 * or re-linearizes at one and answers with verdicts, metrics and light-model data
 * only — opaque ids, never bus numbers, branch ids, coordinates or loads.
 */

/** What a published light model's summary takes from the model itself, by light-model id: the text never changes, so it is read once. */
const modelFacts = new Map<string, Omit<PublishedModelSummary, "id" | "gridId" | "gridName" | "dso" | "publishedAt" | "demoMode">>();

/**
 * The TSO's list of published light models. The facts from each model (4–15 MB of JSON) are
 * parsed once per model, on the worker pool, and kept; a call reads only the rows.
 */
export async function publishedModelSummaries(prisma: PrismaClient): Promise<PublishedModelSummary[]> {
  const rows = await publishedLightModelRows(prisma);
  const live = new Set(rows.map((r) => r.id));
  for (const id of modelFacts.keys()) if (!live.has(id)) modelFacts.delete(id);
  const demo = new Map((await prisma.grid.findMany({ where: { id: { in: rows.map((m) => m.gridId) } }, select: { id: true, demoMode: true } })).map((g) => [g.id, g.demoMode]));
  const out: PublishedModelSummary[] = [];
  for (const row of rows) {
    let facts = modelFacts.get(row.id);
    if (!facts) {
      const text = await readSharedText(prisma, "LightModel.modelJson", row.id);
      if (!text) continue; // withdrawn between the two reads
      facts = await runTask("lightModelSummary", { model: text });
      modelFacts.set(row.id, facts);
    }
    out.push({ ...row, ...facts, demoMode: demo.get(row.gridId) ?? false });
  }
  return out;
}

/** Only the fields a TSO may see, copied one by one (never a spread of the BCM's bid); ids are the opaque ones. */
function tsoBid(id: string, gridId: string, b: Bid, groupId?: string): TsoBid {
  const out: TsoBid = { id, owner: b.owner, gridId, location: b.location, volumeMw: b.volumeMw, priceEurPerMwh: b.priceEurPerMwh };
  if (b.minActivationMw !== undefined) out.minActivationMw = b.minActivationMw;
  if (b.indivisible) out.indivisible = true;
  if (groupId !== undefined) out.groupId = groupId;
  if (b.qPerP !== undefined) out.qPerP = b.qPerP;
  return out;
}

/**
 * The disaggregated bids of every placeable portfolio, per grid with a published light
 * model (bid congestion manager), under the opaque ids stored with each per-asset bid
 * and group. A portfolio the market skips is not offered to the TSO.
 */
export async function tsoMarket(prisma: PrismaClient, published?: DsoSide[]): Promise<TsoMarket> {
  const sides = published ?? (await publishedDsoSides(prisma));
  const m = await loadMarket(prisma, sides);
  const placed = m.placed.map((p) => p.id);
  const [assetRows, groupRows] = await Promise.all([
    prisma.assetBid.findMany({ where: { portfolioId: { in: placed } }, select: { id: true, tsoId: true } }),
    prisma.portfolioBid.findMany({ where: { portfolioId: { in: placed }, tsoGroupId: { not: null } }, select: { id: true, tsoGroupId: true } }),
  ]);
  const tsoId = new Map(assetRows.map((r) => [r.id, r.tsoId]));
  const tsoGroup = new Map(groupRows.map((r) => [r.id, r.tsoGroupId!]));
  return {
    grids: m.grids.map((g) => ({
      gridId: g.gridId,
      lightModelId: g.lightModelId,
      bids: g.bids.flatMap((b) => {
        const id = tsoId.get(b.id);
        return id ? [tsoBid(id, g.gridId, b, b.groupId !== undefined ? tsoGroup.get(b.groupId) : undefined)] : [];
      }),
    })),
    groups: m.groups.flatMap((g) => {
      const id = tsoGroup.get(g.id);
      if (!id) return [];
      return [{ id, ...(g.minActivationMw !== undefined ? { minActivationMw: g.minActivationMw } : {}), ...(g.indivisible ? { indivisible: true } : {}) }];
    }),
  };
}

/**
 * Parsed DSO sides by light-model id. A stored light model and its key never change
 * and a grid's network is never edited in place, so only "still published?" needs
 * the database on a hit — an AC-verified clearing validates several times in a row.
 */
const sideCache = new Map<string, DsoSide>();
const SIDE_CACHE_ENTRIES = 8;

async function publishedSide(prisma: PrismaClient, lightModelId: string): Promise<DsoSide> {
  const published = await prisma.lightModel.findFirst({ where: { id: lightModelId, published: true }, select: { id: true } });
  if (!published) throw new ApiError("not_found", `light model ${lightModelId} is not published (its DSO may have replaced it); reload the published light models`);
  const hit = sideCache.get(lightModelId);
  if (hit) return hit;
  // One miss parses every published side: keep them all, so the other grids of the
  // same clearing do not parse them again.
  const sides = await publishedDsoSides(prisma);
  const wanted = sides.find((s) => s.lightModelId === lightModelId)!;
  for (const side of [...sides.filter((s) => s !== wanted), wanted]) {
    sideCache.set(side.lightModelId, side);
    if (sideCache.size > SIDE_CACHE_ENTRIES) sideCache.delete(sideCache.keys().next().value!);
  }
  return wanted;
}

/** The base-case power flow of a side's grid (no dispatch): the same for every validation of it. */
const baseFlows = new WeakMap<DsoSide, PowerFlowResult>();
function baseFlow(side: DsoSide): PowerFlowResult {
  let pf = baseFlows.get(side);
  if (!pf) {
    pf = solvePowerFlow(side.network);
    baseFlows.set(side, pf);
  }
  return pf;
}

/**
 * The published light model with the operating points the TSO added by
 * re-linearization (ids op-<n> in order), checked together with the strict schema.
 */
function withAddedPoints(side: DsoSide, added: unknown[]): LightModel {
  if (added.length === 0) return side.model;
  const n = side.model.operatingPoints.length;
  const ops = added as LightOperatingPoint[];
  ops.forEach((op, k) => {
    if (op?.id !== `op-${n + k}`) throw new ApiError("bad_request", `addedOperatingPoints[${k}]: expected id 'op-${n + k}'`);
  });
  try {
    return parseLightModel({ ...side.model, operatingPoints: [...side.model.operatingPoints, ...ops] });
  } catch (e) {
    if (e instanceof LightModelError) throw new ApiError("bad_request", `addedOperatingPoints: ${e.message}`);
    throw e;
  }
}

function dispatchVectors(lm: LightModel, g: { locationMw: number[]; locationMvar: number[] }) {
  const n = lm.locations.length;
  if (g.locationMw.length !== n || g.locationMvar.length !== n) {
    throw new ApiError("bad_request", `the dispatch has ${g.locationMw.length} active and ${g.locationMvar.length} reactive values; light model ${lm.modelId} has ${n} locations`);
  }
  return { mw: Float64Array.from(g.locationMw), mvar: Float64Array.from(g.locationMvar) };
}

export interface ValidationInput {
  lightModelId: string;
  selectedIndex: number;
  locationMw: number[];
  locationMvar: number[];
  reactive: boolean;
  addedOperatingPoints: unknown[];
}

/** [P004] Table I and Fig. 4-5, for one grid: the AC power flow with the dispatch against the linear prediction. */
export async function validateForTso(prisma: PrismaClient, input: ValidationInput): Promise<TsoValidation> {
  const side = await publishedSide(prisma, input.lightModelId);
  const lm = withAddedPoints(side, input.addedOperatingPoints);
  const { mw, mvar } = dispatchVectors(lm, input);
  if (input.selectedIndex >= lm.operatingPoints.length) {
    throw new ApiError("bad_request", `selectedIndex ${input.selectedIndex}: the light model has ${lm.operatingPoints.length} operating points`);
  }
  const clearing: DispatchToValidate = { selectedIndex: input.selectedIndex, locationMw: mw, locationMvar: mvar, stats: { reactive: input.reactive } };
  const v = validateDispatch(side.network, side.key, lm, decodeOperatingPoints(lm), clearing);
  const base = baseFlow(side);
  return {
    lightModelId: side.lightModelId,
    gridId: side.gridId,
    gridName: side.gridName,
    verdict: !v.converged ? "not converged" : v.violations.length ? "violations" : "no violation",
    converged: v.converged,
    vMaePu: v.vMaePu,
    vRmsePu: v.vRmsePu,
    vMaxErrPu: v.vMaxErrPu,
    lMaePct: v.lMaePct,
    lRmsePct: v.lRmsePct,
    lMaxErrPct: v.lMaxErrPct,
    violations: v.violations.length,
    worstExcess: worstExcess(v.violations),
    criticalBuses: v.criticalBuses.map((b) => ({ id: b.opaqueId, linear: b.linear, ac: b.ac })),
    criticalBranches: v.criticalBranches.map((b) => ({ id: b.opaqueId, linear: b.linear, ac: b.ac })),
    pcc: { pMw: v.pf.slackPMw, qMvar: v.pf.slackQMvar, basePMw: base.slackPMw, baseQMvar: base.slackQMvar },
    limits: lm.limits,
  };
}

export interface RelinearizeInput {
  lightModelId: string;
  locationMw: number[];
  locationMvar: number[];
  /** Index the new point gets (op-<index>): the published points plus those added before. */
  pointIndex: number;
  iteration: number;
}

/**
 * The DSO side re-linearizes at the dispatched point (AC-verified clearing): a new
 * operating point under the published model's opaque ids. It is not stored: the
 * DSO's published model stays as it is, and the point lives in this clearing only.
 */
export async function relinearizeForTso(prisma: PrismaClient, input: RelinearizeInput): Promise<LightOperatingPoint> {
  const side = await publishedSide(prisma, input.lightModelId);
  const n = side.model.operatingPoints.length;
  if (input.pointIndex < n) throw new ApiError("bad_request", `pointIndex ${input.pointIndex}: the published model already has ${n} points (op-0 … op-${n - 1})`);
  const { mw, mvar } = dispatchVectors(side.model, input);
  let extended: LightModel;
  try {
    extended = addOperatingPoint(restoreDso(side.network, side.key, side.model), side.model, {
      label: `re-linearized at the dispatch of iteration ${input.iteration}`,
      locationMw: mw,
      locationMvar: mvar,
    });
  } catch (e) {
    // The core's message may name buses; the TSO hears only that it failed.
    if (/did not converge/.test((e as Error).message)) throw new ApiError("bad_request", "the AC power flow at the dispatched point did not converge; no linearization there");
    throw e;
  }
  return { ...extended.operatingPoints[n], id: `op-${input.pointIndex}` };
}

// ---------------------------------------------------------------------------------
// Demonstrator map

export interface DemoFlows {
  side: DsoSide;
  /** All bids in the request's direction activated at once. */
  before: { flow: PowerFlowResult; activatedMw: number };
  /** The dispatch of a stored TSO clearing, if one was named. */
  after: { flow: PowerFlowResult; activatedMw: number; runId: string } | null;
}

/** The grid of a demonstrator map, only when its DSO enabled demo mode; otherwise 403. */
export async function demoFlows(prisma: PrismaClient, gridId: string, runId: string | null): Promise<DemoFlows> {
  const grid = await prisma.grid.findUnique({ where: { id: gridId }, select: { demoMode: true } });
  if (!grid) throw new ApiError("not_found", `no grid with id ${gridId}`);
  if (!grid.demoMode) throw new ApiError("forbidden", "the DSO of this grid has not enabled the demonstrator mode: the TSO sees only the PCC and the validation verdict");
  const sides = await publishedDsoSides(prisma);
  const side = sides.find((s) => s.gridId === gridId);
  if (!side) throw new ApiError("not_found", "this grid has no published light model");

  let run: StoredRunGrid | null = null;
  let direction = 1;
  if (runId) {
    const row = await prisma.clearingRun.findFirst({ where: { id: runId, kind: "tso" }, select: { resultJson: true, requestMw: true } });
    if (!row) throw new ApiError("not_found", `no TSO clearing run ${runId}`);
    direction = row.requestMw < 0 ? -1 : 1;
    run = (JSON.parse(row.resultJson) as StoredRun).grids.find((g) => g.gridId === gridId) ?? null;
    if (!run) throw new ApiError("not_found", `clearing run ${runId} did not include this grid`);
    if (run.lightModelId !== side.lightModelId) {
      throw new ApiError("not_found", `clearing run ${runId} used an earlier light model of this grid; the DSO has published a new one since`);
    }
  }

  const bids = (await loadMarket(prisma, sides)).grids.find((g) => g.gridId === gridId)?.bids ?? [];
  const index = new Map(side.model.locations.map((id, k) => [id, k]));
  const mw = new Float64Array(index.size);
  const mvar = new Float64Array(index.size);
  for (const b of bids) {
    if (Math.sign(b.volumeMw) !== direction) continue;
    const k = index.get(b.location)!;
    mw[k] += b.volumeMw;
    mvar[k] += (b.qPerP ?? 0) * b.volumeMw;
  }
  const flowWith = (p: ArrayLike<number>, q: ArrayLike<number>): PowerFlowResult => solvePowerFlow(applyDispatch(side.network, side.key, p, q));
  const total = (v: ArrayLike<number>) => {
    let s = 0;
    for (let k = 0; k < v.length; k++) s += v[k];
    return s;
  };
  return {
    side,
    before: { flow: flowWith(mw, mvar), activatedMw: total(mw) },
    after: run && runId ? { flow: flowWith(run.locationMw, run.locationMvar), activatedMw: total(run.locationMw), runId } : null,
  };
}

// ---------------------------------------------------------------------------------
// Clearing runs

/** Store a TSO clearing after checking each grid's dispatch against the light model it was cleared with. */
export async function recordTsoRun(prisma: Pick<PrismaClient, "lightModel" | "clearingRun" | "auditEvent">, user: SessionUser, run: StoredRun): Promise<RunListItem> {
  const rows = await prisma.lightModel.findMany({
    where: { id: { in: run.grids.map((g) => g.lightModelId) } },
    select: { id: true, gridId: true, locations: true },
  });
  run.grids.forEach((g, k) => {
    const lm = rows.find((r) => r.id === g.lightModelId);
    if (!lm || lm.gridId !== g.gridId) throw new ApiError("bad_request", `grids[${k}]: light model ${g.lightModelId} is not a light model of grid ${g.gridId}`);
    if (g.locationMw.length !== lm.locations || g.locationMvar.length !== lm.locations) {
      throw new ApiError("bad_request", `grids[${k}]: the dispatch needs ${lm.locations} values per location vector`);
    }
  });
  const row = await prisma.clearingRun.create({
    data: {
      id: randomUUID(),
      kind: "tso",
      createdById: user.id,
      requestMw: run.requestMw,
      verified: run.verified,
      status: run.status,
      totalMw: run.totalMw,
      objectiveEur: run.objectiveEur,
      resultJson: JSON.stringify(run),
    },
    select: { id: true, createdAt: true },
  });
  await recordAudit(prisma, {
    action: "tso.run_store",
    objectType: "clearingRun",
    objectId: row.id,
    ownerId: user.id,
    detail: { requestMw: run.requestMw, status: run.status, totalMw: Number(run.totalMw.toFixed(6)), grids: run.grids.length },
  });
  return toListItem(row.id, row.createdAt, user.username, run);
}

function toListItem(id: string, createdAt: Date, by: string, run: StoredRun): RunListItem {
  return {
    id,
    createdAt: createdAt.toISOString(),
    by,
    requestMw: run.requestMw,
    verified: run.verified,
    status: run.status,
    totalMw: run.totalMw,
    objectiveEur: run.objectiveEur,
    iterations: run.iterations.length,
    violations: run.validation.length ? run.validation.reduce((s, v) => s + v.violations, 0) : null,
  };
}

export async function listTsoRuns(prisma: PrismaClient, limit = 15): Promise<RunListItem[]> {
  const rows = await prisma.clearingRun.findMany({
    where: { kind: "tso" },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, createdAt: true, resultJson: true, createdBy: { select: { username: true } } },
  });
  return rows.map((r) => toListItem(r.id, r.createdAt, r.createdBy.username, JSON.parse(r.resultJson) as StoredRun));
}
