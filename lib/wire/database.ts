// What the proxy (Middleware) and the error pages, which may not import server modules, share
// with lib/db/unavailable.ts about a database the platform cannot use.

/**
 * What a page says when it cannot be rendered for want of the database (proxy.ts answers
 * 503 with it; app/error.tsx and app/global-error.tsx show it when a render failed).
 */
export const PAGE_UNAVAILABLE_MESSAGE = "The database is not reachable; try again shortly.";

/**
 * The digest of a DatabaseUnavailableError. Next.js keeps an error's own `digest` when it
 * passes a server error to the error page (and drops its message in production), so the
 * page can still tell "database unavailable" from any other failure.
 */
export const UNAVAILABLE_DIGEST_PREFIX = "FLEXPLAT_DB_UNAVAILABLE:";

/** Where proxy.ts finds lib/server/db.ts's probeDatabase (its bundle does not load the database client). */
export const DATABASE_PROBE_KEY = "__flexplatDbProbe";

/** Whether an error page's `digest` is a DatabaseUnavailableError's. */
export function isUnavailableDigest(digest: string | undefined): boolean {
  return typeof digest === "string" && digest.startsWith(UNAVAILABLE_DIGEST_PREFIX);
}
