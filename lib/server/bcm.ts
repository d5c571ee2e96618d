import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import type { ClearingStatus } from "@/lib/clearing";
import { POOL_LIMITS } from "@/lib/limits";
import { aggregatedResultsCsv, type AggregatedResult } from "@/lib/market";
import { auditedTransaction } from "./audit";
import type { StoredBcmRun } from "./bcm-run";
import { ApiError } from "./api-error";
import { publishedSharedSideRows } from "./market";
import { storedPortfolios } from "./market-bids";
import { marketNow } from "./market-now";
import { runTask } from "./pool";
import { testPause } from "./test-pause";
import type { SessionUser } from "@/lib/wire/roles";
import type { BcmRunSummary, BcmRunDetail, DsoAssetBid, DsoGridBids } from "@/lib/wire/bcm";
import { MAX_REQUEST_MW } from "@/lib/limits/uploads";

/**
 * The bid congestion manager as a platform service ([P004] section II and
 * Fig. 1): every aggregator's portfolio is split by asset location, cleared on the
 * server against the published light models, and the results re-aggregated per
 * aggregated bid. The full results are stored with the run; each aggregator is served
 * only the results of its own bids, and only of runs its portfolios took part in.
 */

/** A balancing request P_E, MW (positive = upward): the BCM's run and the TSO's clearing. */
export const requestMwSchema = z
  .number({ error: "requestMw must be a number (MW; positive = upward)" })
  .refine(Number.isFinite, "requestMw must be a finite number")
  .refine((v) => v !== 0, "requestMw must not be 0")
  .refine((v) => Math.abs(v) <= MAX_REQUEST_MW, `requestMw must lie within ±${MAX_REQUEST_MW} MW`);

export const bcmRunSchema = z.object({ requestMw: requestMwSchema });

function ownResults(stored: StoredBcmRun, user: SessionUser): AggregatedResult[] {
  return stored.results.filter((r) => r.owner === user.username).map((r) => ({ ...r, assets: r.assets.map((a) => ({ ...a, grid: stored.gridNames[a.grid] ?? a.grid })) }));
}

/** The clearing's message without the market's total cost (other aggregators' business). */
function publicMessage(status: ClearingStatus, message: string, totalMw: number): string {
  return status === "optimal" ? `optimal: ${totalMw.toFixed(6)} MW activated over all bids on the platform` : message;
}

type RunRow = { id: string; createdAt: Date; createdById: string; requestMw: number; status: string; totalMw: number; resultJson: string };

function toSummary(row: RunRow, stored: StoredBcmRun, user: SessionUser): BcmRunSummary {
  const mine = ownResults(stored, user);
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    requestMw: row.requestMw,
    status: row.status as ClearingStatus,
    message: publicMessage(row.status as ClearingStatus, stored.message, row.totalMw),
    marketTotalMw: row.totalMw,
    maxDeliverableMw: stored.maxDeliverableMw,
    startedByYou: row.createdById === user.id,
    clearMs: stored.clearMs,
    runMs: stored.runMs,
    own: {
      bids: mine.length,
      offeredUpMw: mine.reduce((s, r) => s + Math.max(0, r.offeredMw), 0),
      offeredDownMw: mine.reduce((s, r) => s + Math.min(0, r.offeredMw), 0),
      activatedMw: mine.reduce((s, r) => s + r.activatedMw, 0),
      costEur: mine.reduce((s, r) => s + r.costEur, 0),
    },
    skipped: stored.skipped.filter((s) => s.owner === user.username).map(({ portfolio, reason }) => ({ portfolio, reason })),
  };
}

/**
 * Run the BCM for a balancing-power request over all portfolios on the platform and
 * store it. A portfolio that can no longer be placed (its grid's light model was
 * withdrawn or changed) is left out with its reason rather than blocking everyone.
 */
export async function runBcm(prisma: PrismaClient, user: SessionUser, requestMw: number): Promise<BcmRunDetail> {
  const t0 = performance.now();
  const [sideRows, portfolios] = await Promise.all([publishedSharedSideRows(prisma), storedPortfolios(prisma)]);
  // Placing, clearing and re-aggregating run on the worker pool (lib/server/bcm-run.ts).
  const { stored, status, totalMw, objectiveEur } = await runTask("bcm", { sideRows, portfolios, requestMw, username: user.username }, { timeoutMs: POOL_LIMITS.bcmTimeoutMs });
  stored.runMs = performance.now() - t0;
  const id = randomUUID();
  const event = { action: "bcm.run", objectType: "clearingRun", objectId: id, ownerId: user.id, detail: { requestMw, status, totalMw: Number(totalMw.toFixed(6)) } };
  // The run and its audit event in one transaction, which the kill test (lib/server/test-pause.ts)
  // can stop between INSERT and COMMIT: a run is stored whole or not at all.
  const row = await auditedTransaction(prisma, event, async (tx) => {
    const created = await tx.clearingRun.create({
      data: { id, kind: "bcm", createdById: user.id, requestMw, status, totalMw, objectiveEur, resultJson: JSON.stringify(stored) },
    });
    await testPause("bcm-run");
    return created;
  });
  return { ...toSummary(row, stored, user), results: ownResults(stored, user) };
}

/** Runs the caller's portfolios took part in, newest first. */
export async function listBcmRuns(prisma: PrismaClient, user: SessionUser, limit = 20): Promise<BcmRunSummary[]> {
  const rows = await prisma.clearingRun.findMany({ where: { kind: "bcm" }, orderBy: { createdAt: "desc" }, take: 200 });
  const out: BcmRunSummary[] = [];
  for (const row of rows) {
    const stored = JSON.parse(row.resultJson) as StoredBcmRun;
    if (!stored.participants.includes(user.username)) continue;
    out.push(toSummary(row, stored, user));
    if (out.length >= limit) break;
  }
  return out;
}

/** One run with the caller's own results; 404 when it does not exist, is not a BCM run, or the caller took no part. */
export async function getBcmRun(prisma: PrismaClient, user: SessionUser, id: string): Promise<BcmRunDetail> {
  const row = await prisma.clearingRun.findUnique({ where: { id } });
  const stored = row?.kind === "bcm" ? (JSON.parse(row.resultJson) as StoredBcmRun) : null;
  if (!row || !stored?.participants.includes(user.username)) throw new ApiError("not_found", `no bid congestion manager run with id ${id} has results of yours`);
  return { ...toSummary(row, stored, user), results: ownResults(stored, user) };
}

/** The caller's results of a run as CSV: one row per asset with its aggregated bid's totals (the CLI's format). */
export async function bcmResultsCsv(prisma: PrismaClient, user: SessionUser, id: string): Promise<{ fileName: string; csv: string }> {
  const run = await getBcmRun(prisma, user, id);
  return { fileName: `bcm-results-${user.username}-${run.createdAt.slice(0, 19).replace(/\D/g, "")}.csv`, csv: aggregatedResultsCsv(run.results) };
}

// ---------------------------------------------------------------------------------
// The DSO's view: bids whose assets sit in its grids

/**
 * Per-asset bids located in the DSO's own grids (asset, connection bus, opaque
 * location, volume, aggregator). Prices stay with the market; other grids' parts of
 * a bid spanning several grids are not shown.
 */
export async function dsoGridBids(prisma: PrismaClient, user: SessionUser): Promise<DsoGridBids[]> {
  const [own, { market, sides }] = await Promise.all([
    prisma.grid.findMany({ where: { ownerId: user.id }, select: { id: true, name: true }, orderBy: [{ createdAt: "asc" }, { name: "asc" }] }),
    marketNow(prisma),
  ]);
  const byGrid = new Map<string, DsoAssetBid[]>(own.map((g) => [g.id, []]));
  for (const p of market.placed) {
    for (const b of p.bids) {
      for (const a of p.dis.assets.get(b.id) ?? []) {
        byGrid.get(a.gridId)?.push({
          aggregatedBidId: b.id,
          assetBidId: a.bidId,
          owner: b.owner,
          direction: b.direction,
          assetId: a.assetId,
          connection: a.connection,
          opaqueLocation: a.opaqueLocation,
          volumeMw: a.volumeMw,
        });
      }
    }
  }
  const published = new Set(sides.map((s) => s.gridId));
  return own.map((g) => {
    const bids = byGrid.get(g.id)!;
    return {
      gridId: g.id,
      gridName: g.name,
      published: published.has(g.id),
      bids,
      upMw: bids.reduce((s, b) => s + Math.max(0, b.volumeMw), 0),
      downMw: bids.reduce((s, b) => s + Math.min(0, b.volumeMw), 0),
      aggregators: [...new Set(bids.map((b) => b.owner))].sort(),
    };
  });
}
