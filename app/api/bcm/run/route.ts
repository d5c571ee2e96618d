import { requireUser } from "@/lib/server/auth";
import { bcmRunSchema, runBcm } from "@/lib/server/bcm";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";

/**
 * POST { requestMw } → 201 { run }: the BCM clears all portfolios on the platform on the
 * server and stores the run; the answer holds the market's status and total and the
 * caller's own re-aggregated results only.
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { requestMw } = await readJson(req, bcmRunSchema);
  return jsonResponse({ run: await runBcm(await getPrisma(), user, requestMw) }, { status: 201 });
});
