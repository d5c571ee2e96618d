import { requireUser } from "@/lib/server/auth";
import { ApiError, apiRoute, jsonResponse } from "@/lib/server/errors";
import { loopProbeEnabled, takeEventLoopWindow } from "@/lib/server/event-loop-probe";

/**
 * GET → { eventLoop } the server's event-loop delay since the previous GET (which begins a
 * new window), for `npm run bench -- hostile` over HTTP; any signed-in user. 404 unless
 * the server runs with FLEXPLAT_LOOP_PROBE=1.
 */
export const GET = apiRoute(async (req: Request) => {
  if (!loopProbeEnabled()) throw new ApiError("not_found", "the event-loop probe is off (start the server with FLEXPLAT_LOOP_PROBE=1)");
  await requireUser(req);
  return jsonResponse({ eventLoop: takeEventLoopWindow() });
});
