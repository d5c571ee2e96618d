import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { listTsoRuns } from "@/lib/server/tso";
import { recordRunOfClearing } from "@/lib/server/tso-clearings";
import { RUN_BODY_LIMIT, runSchema } from "./schema";

/** GET → { runs } the recent TSO clearings (newest first). */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  return jsonResponse({ runs: await listTsoRuns(await getPrisma()) });
});

/** POST a finished clearing (clearingId, result, validation, iterations) → 201 { run }; stored once per clearing as a ClearingRun of kind "tso". */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  const run = await readJson(req, runSchema, RUN_BODY_LIMIT);
  return jsonResponse({ run: await recordRunOfClearing(await getPrisma(), user, run) }, { status: 201 });
});
