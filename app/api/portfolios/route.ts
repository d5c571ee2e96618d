import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { listPortfolios } from "@/lib/server/portfolio-store";
import { createPortfolioFromUpload, readPortfolioUpload } from "@/lib/server/portfolios";

/** GET → { portfolios } the signed-in aggregator's own portfolios (summaries). */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  return jsonResponse({ portfolios: await listPortfolios(await getPrisma(), user.id) });
});

/** POST multipart (file .csv/.json, name?) → 201 { portfolio } once every check passed; 400/413/415 with the reason otherwise, nothing stored. */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const upload = await readPortfolioUpload(req);
  return jsonResponse({ portfolio: await createPortfolioFromUpload(await getPrisma(), user, upload) }, { status: 201 });
});
