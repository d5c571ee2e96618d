import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readLargeJsonAs } from "@/lib/server/large-json";
import { listTsoRuns, recordTsoRun } from "@/lib/server/tso";
import { runSchema } from "./schema";

/** GET → { runs } the recent TSO clearings (newest first). */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  return jsonResponse({ runs: await listTsoRuns(await getPrisma()) });
});

/** POST a finished clearing (result, validation, iterations) → 201 { run }; stored as a ClearingRun of kind "tso". */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  const run = await readLargeJsonAs(req, runSchema, 32 * 1024 * 1024);
  return jsonResponse({ run: await recordTsoRun(await getPrisma(), user, run) }, { status: 201 });
});
