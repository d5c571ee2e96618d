import { requireUser } from "@/lib/server/auth";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readStudyCases } from "@/lib/server/study-cases";

/**
 * GET → { cases: { transmission, case10ba, case33mg, case118zh } }: the MATPOWER texts of
 * the 29-feeder coordination study (public MATPOWER cases; the TSO's study page runs it in
 * its solver workers). TSO only.
 */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["TSO"]);
  return jsonResponse({ cases: await readStudyCases() });
});
