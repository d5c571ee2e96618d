import { requireUser } from "@/lib/server/auth";
import { apiRoute, jsonResponse } from "@/lib/server/errors";

/** GET → { user } of the current session, 401 when signed out. */
export const GET = apiRoute(async (req: Request) => jsonResponse({ user: await requireUser(req) }));
