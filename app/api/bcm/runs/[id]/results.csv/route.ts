import { requireUser } from "@/lib/server/auth";
import { bcmResultsCsv } from "@/lib/server/bcm";
import { csvResponse } from "@/lib/server/csv-response";
import { getPrisma } from "@/lib/server/db";
import { apiRoute } from "@/lib/server/errors";

type Ctx = { params: Promise<{ id: string }> };

/** GET → the caller's results of a run as CSV, one row per asset with its aggregated bid's totals. */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { id } = await ctx.params;
  const { fileName, csv } = await bcmResultsCsv(await getPrisma(), user, id);
  return csvResponse(csv, fileName);
});
