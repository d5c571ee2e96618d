import type { Role } from "./roles";

/**
 * What crosses the wire about accounts and the audit trail (app/api/admin, app/api/audit):
 * types and pure constants only, imported by the server (lib/server) and the browser alike.
 */

export interface AccountSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
  passwordChangedAt: string | null;
  /** Unexpired sessions (signed-in browsers). */
  activeSessions: number;
}

export type AuditOutcome = "ok" | "refused" | "failed";

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ["ok", "refused", "failed"];

/** An event as the API and the page show it. */
export interface AuditEventView {
  id: string;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ownerId: string | null;
  outcome: AuditOutcome;
  requestId: string;
  detail: Record<string, unknown> | null;
}
