import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { listPortfolios } from "@/lib/server/portfolio-store";
import { runTask } from "@/lib/server/pool";
import { PORTFOLIO_UPLOAD, storeUploadedPortfolio } from "@/lib/server/portfolios";
import { readUploadBody } from "@/lib/server/upload";

/** GET → { portfolios } the signed-in aggregator's own portfolios (summaries). */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  return jsonResponse({ portfolios: await listPortfolios(await getPrisma(), user.id) });
});

/** POST multipart (file .csv/.json, name?) → 201 { portfolio } once every check passed; 400/413/415 with the reason otherwise, nothing stored. */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["AGGREGATOR"]);
  const { body, contentType } = await readUploadBody(req, PORTFOLIO_UPLOAD);
  // Form, encoding and bids are read on the worker pool (task portfolioUpload).
  const upload = await runTask("portfolioUpload", { body, contentType }, { transfer: [body.buffer] });
  return jsonResponse({ portfolio: await storeUploadedPortfolio(await getPrisma(), user, upload) }, { status: 201 });
});
