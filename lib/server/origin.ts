import "server-only";
/**
 * Whether a state-changing request was sent by a browser from another site (CSRF).
 * Browsers name the page's origin in `Origin` on every POST/PUT/PATCH/DELETE and
 * mark the request with `Sec-Fetch-Site`; clients that send neither (curl, scripts,
 * tests) are not a browser acting for a signed-in victim.
 */
export function isCrossSiteRequest(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  const origin = req.headers.get("origin");
  if (origin === null) return false;
  const host = (req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host).split(",")[0].trim();
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" (sandboxed frames, file: pages) or garbage
  }
}
