import { requireUser } from "@/lib/server/auth";
import { listBcmRuns } from "@/lib/server/bcm";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";

/** GET → { runs } the BCM runs the caller's portfolios took part in, with its own totals. */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  return jsonResponse({ runs: await listBcmRuns(await getPrisma(), user) });
});
