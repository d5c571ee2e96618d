"use client";

import { isUnavailableDigest, PAGE_UNAVAILABLE_MESSAGE } from "@/lib/wire/database";

/**
 * What app/error.tsx and app/global-error.tsx show when a page's server rendering failed.
 * In production Next.js passes only the error's digest, which names a database that could
 * not be used (lib/db/unavailable.ts); anything else is an internal error, quoted by digest
 * for the operator's log.
 */
export function RenderFailure({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const database = isUnavailableDigest(error.digest);
  return (
    <div className="card denied" data-testid={database ? "db-unavailable" : "render-failure"}>
      <div className="code">{database ? 503 : 500}</div>
      <h1>{database ? "Service unavailable" : "Something went wrong"}</h1>
      <p>{database ? PAGE_UNAVAILABLE_MESSAGE : "The page could not be shown because of an error on the server."}</p>
      {!database && error.digest && <p className="muted">Reference for the operator: {error.digest}</p>}
      <button type="button" className="btn" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
