import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuditTable } from "@/components/audit/audit-table";
import { listAuditEvents } from "@/lib/server/audit";
import { currentUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { AUDIT_OUTCOMES, type AuditOutcome } from "@/lib/wire/accounts";

export const metadata: Metadata = { title: "Activity" };

const PAGE_SIZE = 50;

function pageHref(page: number, outcome: AuditOutcome | undefined): string {
  const q = new URLSearchParams();
  if (page > 1) q.set("page", String(page));
  if (outcome) q.set("outcome", outcome);
  const s = q.toString();
  return s ? `/audit?${s}` : "/audit";
}

/**
 * The audit trail as its reader may see it (lib/server/audit.ts decides, on the server):
 * an administrator every event; an operator those on its own grids, portfolios,
 * clearings and runs, and its own actions and sign-ins. Newest first, 50 a page.
 */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentUser();
  if (!user) redirect("/signin?next=%2Faudit");
  const params = await searchParams;
  const page = Math.max(1, Math.min(1_000_000, Math.floor(Number(params.page)) || 1));
  const outcome = AUDIT_OUTCOMES.find((o) => o === params.outcome);
  const { events, total } = await listAuditEvents(await getPrisma(), user, { page, pageSize: PAGE_SIZE, outcome });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const csvHref = outcome ? `/api/audit.csv?outcome=${outcome}` : "/api/audit.csv";
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Activity</h1>
          <p>
            {user.role === "ADMIN"
              ? "Every recorded action on the platform: sign-ins, uploads, publications, runs and account changes, with refused and failed attempts."
              : "What happened to your grids, portfolios, clearings and runs, and what you did: sign-ins, uploads, publications and runs, with refused and failed attempts."}{" "}
            The record is append-only.
          </p>
        </div>
        <a className="btn" href={csvHref} download data-testid="audit-csv">
          Download CSV
        </a>
      </div>
      <div className="card" data-testid="audit">
        <div className="card-title">
          <h2>Events</h2>
          <span className="muted small" data-testid="audit-total">
            {total} {total === 1 ? "event" : "events"}
          </span>
        </div>
        <nav className="pager" aria-label="Outcome">
          {[undefined, ...AUDIT_OUTCOMES].map((o) => (
            <Link key={o ?? "all"} href={pageHref(1, o)} className={`btn btn-small${o === outcome ? " btn-primary" : ""}`} aria-current={o === outcome ? "page" : undefined}>
              {o ?? "all"}
            </Link>
          ))}
        </nav>
        <AuditTable events={events} />
        {pages > 1 && (
          <nav className="pager" aria-label="Pages" data-testid="audit-pager">
            <span className="muted">
              page {page} of {pages}
            </span>
            {page > 1 && (
              <Link className="btn btn-small" href={pageHref(page - 1, outcome)}>
                Newer
              </Link>
            )}
            {page < pages && (
              <Link className="btn btn-small" href={pageHref(page + 1, outcome)}>
                Older
              </Link>
            )}
          </nav>
        )}
      </div>
    </>
  );
}
