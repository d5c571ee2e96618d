import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import type { Bid } from "@/lib/market";
import type { DemoMapResponse } from "@/lib/map/demo-map";
import type { LightOperatingPoint } from "@/lib/sensitivity/light-model";
import { recordAudit } from "./audit";
import { ApiError } from "./api-error";
import { readSharedText } from "./db-text";
import { storedLayoutForDemo, storeDemoLayout } from "./grid-layouts";
import { publishedLightModelRows, publishedSharedSideRows } from "./market";
import { runTask } from "./pool";
import { storedPortfolios, type SideHead } from "./market-bids";
import { marketNow } from "./market-now";
import type { RelinearizeInput, TsoDemoMapInput, ValidationInput } from "./tso-side";
import type { SessionUser } from "@/lib/wire/roles";
import type { PublishedModelSummary, TsoBid, TsoMarket, TsoValidation, StoredRun, RunListItem } from "@/lib/wire/tso";

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
export async function tsoMarket(prisma: PrismaClient): Promise<TsoMarket> {
  return (await tsoMarketAndSides(prisma)).market;
}

/** tsoMarket, with the published sides it was placed against (ids and locations only). */
export async function tsoMarketAndSides(prisma: PrismaClient): Promise<{ market: TsoMarket; sides: SideHead[] }> {
  const { market: m, sides } = await marketNow(prisma);
  const placed = m.placed.map((p) => p.id);
  const [assetRows, groupRows] = await Promise.all([
    prisma.assetBid.findMany({ where: { portfolioId: { in: placed } }, select: { id: true, tsoId: true } }),
    prisma.portfolioBid.findMany({ where: { portfolioId: { in: placed }, tsoGroupId: { not: null } }, select: { id: true, tsoGroupId: true } }),
  ]);
  const tsoId = new Map(assetRows.map((r) => [r.id, r.tsoId]));
  const tsoGroup = new Map(groupRows.map((r) => [r.id, r.tsoGroupId!]));
  const market: TsoMarket = {
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
  return { market, sides };
}

/** The published sides as shared bytes, for a pool task; 404 first when this light model is not (or no longer) published. */
async function sideRowsWith(prisma: PrismaClient, lightModelId: string) {
  const published = await prisma.lightModel.findFirst({ where: { id: lightModelId, published: true }, select: { id: true } });
  if (!published) throw new ApiError("not_found", `light model ${lightModelId} is not published (its DSO may have replaced it); reload the published light models`);
  return publishedSharedSideRows(prisma);
}

/** [P004] Table I and Fig. 4-5, for one grid: the AC power flow with the dispatch against the linear prediction, on the worker pool (tso-side.ts). */
export async function validateForTso(prisma: PrismaClient, input: ValidationInput): Promise<TsoValidation> {
  return runTask("tsoValidate", { sideRows: await sideRowsWith(prisma, input.lightModelId), validation: input });
}

/** The DSO side re-linearizes at the dispatched point (AC-verified clearing), on the worker pool (tso-side.ts relinearizeOnSide). */
export async function relinearizeForTso(prisma: PrismaClient, input: RelinearizeInput): Promise<LightOperatingPoint> {
  return runTask("tsoRelinearize", { sideRows: await sideRowsWith(prisma, input.lightModelId), relinearize: input });
}

// ---------------------------------------------------------------------------------
// Demonstrator map

/**
 * The demonstrator map of a grid, only when its DSO enabled demo mode (otherwise 403): the
 * database part here (demo mode, the stored run, the stored layout), the power flows and the
 * drawing on the worker pool (tso-side.ts tsoDemoMap); a layout computed there is stored.
 */
export async function demoMap(prisma: PrismaClient, gridId: string, runId: string | null): Promise<DemoMapResponse> {
  const grid = await prisma.grid.findUnique({ where: { id: gridId }, select: { demoMode: true } });
  if (!grid) throw new ApiError("not_found", `no grid with id ${gridId}`);
  if (!grid.demoMode) throw new ApiError("forbidden", "the DSO of this grid has not enabled the demonstrator mode: the TSO sees only the PCC and the validation verdict");
  let run: TsoDemoMapInput["run"] = null;
  if (runId) {
    const row = await prisma.clearingRun.findFirst({ where: { id: runId, kind: "tso" }, select: { resultJson: true, requestMw: true } });
    if (!row) throw new ApiError("not_found", `no TSO clearing run ${runId}`);
    const stored = (JSON.parse(row.resultJson) as StoredRun).grids.find((g) => g.gridId === gridId);
    if (!stored) throw new ApiError("not_found", `clearing run ${runId} did not include this grid`);
    run = { runId, grid: stored, direction: row.requestMw < 0 ? -1 : 1 };
  }
  const [sideRows, portfolios, layout] = await Promise.all([publishedSharedSideRows(prisma), storedPortfolios(prisma), storedLayoutForDemo(prisma, gridId)]);
  const { body, computedLayout } = await runTask("tsoDemoMap", { sideRows, portfolios, gridId, run, layout });
  if (computedLayout) await storeDemoLayout(prisma, gridId, computedLayout);
  return body;
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
