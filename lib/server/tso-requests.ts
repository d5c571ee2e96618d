import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import type { LightModelKey } from "@/lib/sensitivity/light-model";
import { getOwnedGrid } from "./grids";
import type { SessionUser } from "@/lib/wire/roles";
import type { TsoRequestView } from "@/lib/wire/dso";

/** Requests shown at most (newest first). */
const LIMIT = 100;

/** What the TSO asked about one of the caller's grids, newest first (403 for another DSO's grid). */
export async function tsoRequestsForGrid(prisma: PrismaClient, user: SessionUser, gridId: string): Promise<TsoRequestView[]> {
  await getOwnedGrid(prisma, user, gridId);
  const rows = await prisma.tsoRequest.findMany({
    where: { gridId },
    orderBy: { createdAt: "desc" },
    take: LIMIT,
    include: { user: { select: { username: true, displayName: true } }, clearing: { select: { requestMw: true } } },
  });
  const models = await prisma.lightModel.findMany({ where: { gridId, id: { in: [...new Set(rows.map((r) => r.lightModelId))] } }, select: { id: true, keyJson: true } });
  const busOf = new Map(
    models.map((m) => {
      const key = JSON.parse(m.keyJson) as LightModelKey;
      return [m.id, { ids: key.locations.map((l) => l.id), bus: new Map(key.locations.map((l) => [l.id, l.bus])) }];
    }),
  );
  return rows.map((r) => {
    const key = busOf.get(r.lightModelId);
    const d = r.dispatchJson ? (JSON.parse(r.dispatchJson) as { locationMw: number[]; locationMvar: number[] }) : null;
    const dispatch = d
      ? d.locationMw.flatMap((mw, k) => {
          const mvar = d.locationMvar[k];
          if (mw === 0 && mvar === 0) return [];
          const location = key?.ids[k] ?? `#${k + 1}`;
          return [{ location, bus: key?.bus.get(location) ?? null, mw, mvar }];
        })
      : [];
    return {
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      tso: `${r.user.displayName} (${r.user.username})`,
      kind: r.kind as TsoRequestView["kind"],
      clearingId: r.clearingId,
      requestMw: r.clearing?.requestMw ?? null,
      iteration: r.iteration,
      lightModelId: r.lightModelId,
      totalMw: r.totalMw,
      activeLocations: r.activeLocations,
      accepted: r.accepted,
      outcome: r.outcome,
      dispatch,
    };
  });
}
