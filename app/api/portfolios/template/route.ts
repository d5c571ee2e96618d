import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute } from "@/lib/server/errors";
import { portfolioTemplate } from "@/lib/server/portfolio-template";
import { csvResponse } from "@/lib/server/csv-response";

/** GET → a small valid example portfolio (CSV download) over the caller's own units. */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { fileName, csv } = await portfolioTemplate(await getPrisma(), user);
  return csvResponse(csv, fileName);
});
