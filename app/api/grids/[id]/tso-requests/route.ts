import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { tsoRequestsForGrid } from "@/lib/server/tso-requests";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET → { requests }: the DSO's audit trail of its grid — every validation and
 * re-linearization the TSO asked (accepted or refused, with the reason), newest first,
 * with the dispatch by opaque location and the DSO's bus. Owning DSO only.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  return jsonResponse({ requests: await tsoRequestsForGrid(await getPrisma(), user, id) });
});
