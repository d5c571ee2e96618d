import { auditEventsCsv, listAuditEvents } from "@/lib/server/audit";
import { requireUser } from "@/lib/server/auth";
import { csvResponse } from "@/lib/server/csv-response";
import { getPrisma } from "@/lib/server/db";
import { ApiError, apiRoute, jsonResponse } from "@/lib/server/errors";
import { auditQuerySchema } from "./schema";
import type { AuditOutcome } from "@/lib/wire/accounts";

function readQuery(req: Request) {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const q = auditQuerySchema.safeParse(params);
  if (!q.success) {
    const issue = q.error.issues[0];
    throw new ApiError("bad_request", `${issue.path.join(".")}: ${issue.message}`);
  }
  return { ...q.data, outcome: q.data.outcome as AuditOutcome | undefined };
}

/**
 * GET → { events, page, pageSize, total }: the audit events the caller may see, newest
 * first (an administrator all; anyone else those on its own objects and its own
 * actions). `?format=csv` → the same events as a CSV download (at most 50,000).
 */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req);
  const q = readQuery(req);
  const prisma = await getPrisma();
  if (q.format === "csv") return csvResponse(await auditEventsCsv(prisma, user, q), `flexplat-audit-${new Date().toISOString().slice(0, 10)}.csv`);
  return jsonResponse(await listAuditEvents(prisma, user, q));
});

/** The trail is append-only: no request edits or removes an event. */
const refuse = apiRoute(async (_req: Request) => {
  throw new ApiError("method_not_allowed", "the audit trail is append-only: events cannot be changed or deleted", { allow: "GET" });
});
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
export const POST = refuse;
