import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { detectGridFormat, describeGridError, parseGridFile, writeNetworkJson, type Network } from "@/lib/grid";
import { regionProblemOptionsSchema, type RegionProblemOptionsStored } from "@/lib/regions/problem-options";
import { auditedTransaction, recordAudit } from "./audit";
import { ApiError } from "./api-error";
import { cleanGridName } from "./grid-names";
import { serializableTransaction } from "@/lib/db/transaction";
import type { SessionUser } from "@/lib/wire/roles";
import type { TransmissionGridSummary, CoordinationRunInput, SetPointStatus, CoordinationRunView, DsoSetPointView } from "@/lib/wire/coordination";
import { GRID_AND_DSO } from "./published";

/**
 * TSO–DSO coordination on the server (issue 13). The TSO's transmission grids are its own
 * (another account, DSO or TSO, gets 404); a coordination run stores one set-point per
 * assigned published region, all or nothing; a DSO reads the set-points of its own grids
 * and answers each with accepted/rejected and a reason — the only thing that goes back.
 */

type TsRow = { id: string; name: string; sourceFormat: string; fileName: string | null; busCount: number; branchCount: number; generatorCount: number; networkJson: string; createdAt: Date };

function tsSummary(r: TsRow): TransmissionGridSummary {
  const net = JSON.parse(r.networkJson) as { buses: { id: number; type?: string }[] };
  return {
    id: r.id,
    name: r.name,
    sourceFormat: r.sourceFormat,
    fileName: r.fileName,
    busCount: r.busCount,
    branchCount: r.branchCount,
    generatorCount: r.generatorCount,
    pccBuses: net.buses.filter((b) => b.type !== "NONE").map((b) => b.id),
    createdAt: r.createdAt.toISOString(),
  };
}

/** Every in-service generator of a transmission grid needs its cost (the region-based OPF minimizes it). */
function checkTransmissionGrid(net: Network): void {
  const missing = net.generators.filter((g) => g.inService && !g.cost);
  if (missing.length > 0)
    throw new ApiError(
      "bad_request",
      `${missing.length} in-service generator${missing.length === 1 ? "" : "s"} without a cost (${missing
        .slice(0, 5)
        .map((g) => `${g.id} at bus ${g.bus}`)
        .join(", ")}): the coordination needs mpc.gencost (or "cost" in project JSON) for every generator`,
    );
  if (!net.buses.some((b) => b.type === "REF")) throw new ApiError("bad_request", "the transmission grid has no reference bus");
}

/** A transmission grid file imported and checked, serialized for storage (pure: the worker pool runs it, task transmissionGridUpload). */
export function prepareTransmissionGrid(upload: { fileName: string; text: string; name?: string }) {
  if (!upload.text.trim()) throw new ApiError("bad_request", `${upload.fileName}: the file is empty`);
  let net: Network;
  try {
    net = parseGridFile(upload.fileName, upload.text);
  } catch (e) {
    throw new ApiError("bad_request", `${upload.fileName}: ${describeGridError(e)}`);
  }
  checkTransmissionGrid(net);
  return {
    name: upload.name?.trim() || net.name,
    sourceFormat: detectGridFormat(upload.fileName, upload.text),
    fileName: upload.fileName,
    busCount: net.buses.length,
    branchCount: net.branches.length,
    generatorCount: net.generators.length,
    networkJson: writeNetworkJson(net),
  };
}

export async function storeTransmissionGrid(prisma: PrismaClient, user: SessionUser, g: ReturnType<typeof prepareTransmissionGrid>): Promise<TransmissionGridSummary> {
  const id = randomUUID();
  const event = { action: "transmission_grid.upload", objectType: "transmissionGrid", objectId: id, ownerId: user.id, detail: { fileName: g.fileName, buses: g.busCount } };
  const row = await auditedTransaction(prisma, event, (tx) => tx.transmissionGrid.create({ data: { id, ownerId: user.id, ...g, name: cleanGridName(g.name) } }));
  return tsSummary(row);
}

export async function listTransmissionGrids(prisma: PrismaClient, user: SessionUser): Promise<TransmissionGridSummary[]> {
  const rows = await prisma.transmissionGrid.findMany({ where: { ownerId: user.id }, orderBy: { createdAt: "asc" } });
  return rows.map(tsSummary);
}

/** The owner's transmission grid; 404 for any other account (its existence is not revealed). */
export async function getOwnedTransmissionGrid(prisma: PrismaClient, user: SessionUser, id: string) {
  const row = await prisma.transmissionGrid.findUnique({ where: { id } });
  if (!row || row.ownerId !== user.id) throw new ApiError("not_found", `no transmission grid with id ${id}`);
  return row;
}

export async function deleteTransmissionGrid(prisma: PrismaClient, user: SessionUser, id: string): Promise<void> {
  const grid = await getOwnedTransmissionGrid(prisma, user, id);
  await auditedTransaction(prisma, { action: "transmission_grid.delete", objectType: "transmissionGrid", objectId: id, ownerId: user.id, detail: { name: grid.name } }, (tx) =>
    tx.transmissionGrid.delete({ where: { id } }),
  );
}

// --- coordination runs --------------------------------------------------------------

/** Only an optimal OPF's set-points may be sent (not an infeasible, diverged or stalled one). */
const SENDABLE = new Set(["optimal"]);

/**
 * Store a coordination run and its set-points in one transaction: the transmission grid is
 * the caller's, every region is published, every PCC bus is a bus of the grid, one region
 * per PCC bus and per run; the OPF must have found a solution. Nothing is written otherwise.
 */
export async function storeCoordinationRun(prisma: PrismaClient, user: SessionUser, input: CoordinationRunInput): Promise<CoordinationRunView> {
  const ts = await getOwnedTransmissionGrid(prisma, user, input.transmissionGridId);
  if (!SENDABLE.has(input.result.status)) throw new ApiError("bad_request", `the coordination ended '${input.result.status}' (${input.result.message}): no set-point can be sent from it`);
  const buses = new Set((JSON.parse(ts.networkJson) as { buses: { id: number }[] }).buses.map((b) => b.id));
  const seenBus = new Set<number>();
  const seenRegion = new Set<string>();
  for (const sp of input.setPoints) {
    if (!buses.has(sp.tsBus)) throw new ApiError("bad_request", `${sp.label}: PCC bus ${sp.tsBus} is not a bus of ${ts.name}`);
    if (seenBus.has(sp.tsBus)) throw new ApiError("bad_request", `two set-points at PCC bus ${sp.tsBus}`);
    if (seenRegion.has(sp.regionId)) throw new ApiError("bad_request", `region ${sp.regionId} has two set-points`);
    seenBus.add(sp.tsBus);
    seenRegion.add(sp.regionId);
  }
  const id = randomUUID();
  await serializableTransaction(prisma, async (tx) => {
    const regions = await tx.flexRegion.findMany({ where: { id: { in: [...seenRegion] } }, select: { id: true, gridId: true, published: true, grid: { select: { ownerId: true } } } });
    const byId = new Map(regions.map((r) => [r.id, r]));
    for (const sp of input.setPoints) {
      const r = byId.get(sp.regionId);
      if (!r?.published) throw new ApiError("bad_request", `${sp.label}: region ${sp.regionId} is not a published region (withdrawn or never published)`);
    }
    await tx.coordinationRun.create({
      data: {
        id,
        createdById: user.id,
        transmissionGridId: ts.id,
        status: input.result.status,
        objective: input.result.objective,
        tsCostPerH: input.result.tsCostPerH,
        resultJson: JSON.stringify({ ...input.result, replaceDemand: input.replaceDemand }),
      },
    });
    const setPoints = input.setPoints.map((sp) => ({ ...sp, id: randomUUID() }));
    await tx.setPoint.createMany({
      data: setPoints.map((sp) => ({
        id: sp.id,
        runId: id,
        regionId: sp.regionId,
        gridId: byId.get(sp.regionId)!.gridId,
        tsBus: sp.tsBus,
        label: sp.label,
        pMw: sp.pMw,
        qMvar: sp.qMvar,
        vPu: sp.vPu,
        dsCostPerH: sp.dsCostPerH,
        lmpP: sp.lmpP,
        lmpQ: sp.lmpQ,
        onBoundary: sp.onBoundary,
      })),
    });
    await recordAudit(tx, {
      action: "coordination.run",
      objectType: "coordinationRun",
      objectId: id,
      ownerId: user.id,
      detail: { transmissionGridId: ts.id, status: input.result.status, setPoints: setPoints.length },
    });
    // Each DSO sees the set-point sent to its grid (what it receives anyway), not the run.
    for (const sp of setPoints) {
      const region = byId.get(sp.regionId)!;
      await recordAudit(tx, { action: "setpoint.send", objectType: "setPoint", objectId: sp.id, ownerId: region.grid.ownerId, detail: { gridId: region.gridId, regionId: sp.regionId } });
    }
  });
  return (await listCoordinationRuns(prisma, user, id))[0];
}

/** The caller's coordination runs (newest first, at most 20), each with its set-points and the DSOs' answers. */
export async function listCoordinationRuns(prisma: PrismaClient, user: SessionUser, onlyId?: string): Promise<CoordinationRunView[]> {
  const rows = await prisma.coordinationRun.findMany({
    where: { createdById: user.id, ...(onlyId ? { id: onlyId } : {}) },
    orderBy: { createdAt: "desc" },
    take: 20,
    include: {
      transmissionGrid: { select: { name: true } },
      setPoints: { orderBy: { tsBus: "asc" }, include: { region: { select: { method: true } }, grid: GRID_AND_DSO } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    transmissionGridId: r.transmissionGridId,
    transmissionGridName: r.transmissionGrid.name,
    status: r.status,
    objective: r.objective,
    tsCostPerH: r.tsCostPerH,
    createdAt: r.createdAt.toISOString(),
    setPoints: r.setPoints.map((s) => ({
      id: s.id,
      regionId: s.regionId,
      gridName: s.grid.name,
      dso: s.grid.owner.displayName,
      method: s.region.method,
      tsBus: s.tsBus,
      label: s.label,
      pMw: s.pMw,
      qMvar: s.qMvar,
      vPu: s.vPu,
      dsCostPerH: s.dsCostPerH,
      lmpP: s.lmpP,
      lmpQ: s.lmpQ,
      onBoundary: s.onBoundary,
      status: s.status as SetPointStatus,
      reason: s.reason,
      respondedAt: s.respondedAt?.toISOString() ?? null,
    })),
  }));
}

// --- the DSO's side ---------------------------------------------------------------------

function storedOptions(json: string | null): RegionProblemOptionsStored | null {
  if (!json) return null;
  const r = regionProblemOptionsSchema.safeParse(JSON.parse(json));
  return r.success ? r.data : null;
}

export async function listGridSetPoints(prisma: PrismaClient, gridId: string): Promise<DsoSetPointView[]> {
  const rows = await prisma.setPoint.findMany({
    where: { gridId },
    orderBy: { createdAt: "desc" },
    take: 50,
    include: { region: { select: { kind: true, method: true, optionsJson: true } } },
  });
  return rows.map((s) => ({
    id: s.id,
    regionId: s.regionId,
    kind: s.region.kind,
    method: s.region.method,
    options: storedOptions(s.region.optionsJson),
    pMw: s.pMw,
    qMvar: s.qMvar,
    vPu: s.vPu,
    status: s.status as SetPointStatus,
    reason: s.reason,
    sentAt: s.createdAt.toISOString(),
    respondedAt: s.respondedAt?.toISOString() ?? null,
  }));
}

/** The DSO's answer: nothing but the status and a reason (required to reject) crosses back. */
export const setPointAnswerSchema = z.strictObject({
  status: z.enum(["accepted", "rejected"]),
  reason: z.string().trim().max(500).optional(),
});

export async function answerSetPoint(prisma: PrismaClient, gridId: string, setPointId: string, answer: z.infer<typeof setPointAnswerSchema>): Promise<DsoSetPointView> {
  const row = await prisma.setPoint.findUnique({ where: { id: setPointId }, select: { gridId: true, status: true, run: { select: { createdById: true } } } });
  if (!row || row.gridId !== gridId) throw new ApiError("not_found", `no set-point ${setPointId} for this grid`);
  if (answer.status === "rejected" && !answer.reason) throw new ApiError("bad_request", "a rejection needs a reason the TSO can read");
  if (row.status !== "sent") throw new ApiError("conflict", `this set-point was already ${row.status}`);
  await prisma.$transaction(async (tx) => {
    // Only a set-point still "sent" is answered: two answers at once cannot both win.
    const { count } = await tx.setPoint.updateMany({ where: { id: setPointId, status: "sent" }, data: { status: answer.status, reason: answer.reason || null, respondedAt: new Date() } });
    if (count !== 1) throw new ApiError("conflict", "this set-point was answered at the same moment");
    // The TSO that sent it sees the answer; the DSO sees its own action.
    await recordAudit(tx, {
      action: `setpoint.${answer.status === "accepted" ? "accept" : "reject"}`,
      objectType: "setPoint",
      objectId: setPointId,
      ownerId: row.run.createdById,
      detail: { gridId, ...(answer.reason ? { reason: answer.reason.slice(0, 200) } : {}) },
    });
  });
  return (await listGridSetPoints(prisma, gridId)).find((s) => s.id === setPointId)!;
}

/** Regions' stored problem options as the upload route reads them (400 naming the field). */
export function checkRegionOptions(raw: unknown): RegionProblemOptionsStored {
  const r = regionProblemOptionsSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ApiError("bad_request", `options${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`);
  }
  return r.data;
}
