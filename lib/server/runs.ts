import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { auditedTransaction } from "./audit";
import { getOwnedGrid } from "./grids";
import type { SessionUser } from "@/lib/wire/roles";
import type { RunInput, RunSummary } from "@/lib/wire/dso";

const RUN_SELECT = {
  id: true,
  status: true,
  converged: true,
  iterations: true,
  vmMinPu: true,
  vmMinBusId: true,
  lossPMw: true,
  lossQMvar: true,
  maxLoadingPct: true,
  solveMs: true,
  createdAt: true,
} as const;

function toRunSummary(row: Omit<RunSummary, "createdAt" | "status"> & { status: string; createdAt: Date }): RunSummary {
  return { ...row, status: row.status as RunSummary["status"], createdAt: row.createdAt.toISOString() };
}

export async function recordRun(prisma: PrismaClient, user: SessionUser, gridId: string, input: RunInput): Promise<RunSummary> {
  const grid = await getOwnedGrid(prisma, user, gridId);
  const id = randomUUID();
  const row = await auditedTransaction(
    prisma,
    { action: "powerflow.run", objectType: "powerFlowRun", objectId: id, ownerId: grid.ownerId, detail: { gridId, status: input.status, iterations: input.iterations } },
    (tx) => tx.powerFlowRun.create({ data: { id, gridId, userId: user.id, ...input }, select: RUN_SELECT }),
  );
  return toRunSummary(row);
}

export async function listRuns(prisma: PrismaClient, user: SessionUser, gridId: string, limit = 10): Promise<RunSummary[]> {
  await getOwnedGrid(prisma, user, gridId);
  const rows = await prisma.powerFlowRun.findMany({ where: { gridId }, orderBy: { createdAt: "desc" }, take: limit, select: RUN_SELECT });
  return rows.map(toRunSummary);
}
