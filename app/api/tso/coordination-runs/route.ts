import { requireUser } from "@/lib/server/auth";
import { listCoordinationRuns, storeCoordinationRun } from "@/lib/server/coordination";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { coordinationRunSchema } from "@/lib/wire/coordination";

/** GET → { runs }: the TSO's coordination runs, each set-point with the DSO's answer (status and reason only). */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  return jsonResponse({ runs: await listCoordinationRuns(await getPrisma(), user) });
});

/**
 * POST { transmissionGridId, replaceDemand, result, setPoints } → 201 { run }: sends the
 * set-points of a coordination the TSO's worker solved, one per published region; the
 * whole run is refused (400, nothing stored) if a region is not published, a PCC bus is
 * not in the grid or the OPF found no solution.
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  const body = await readJson(req, coordinationRunSchema, 2 * 1024 * 1024);
  return jsonResponse({ run: await storeCoordinationRun(await getPrisma(), user, body) }, { status: 201 });
});
