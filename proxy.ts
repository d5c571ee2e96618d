import { NextResponse, type NextRequest } from "next/server";
import type { DatabaseUnavailableError } from "./lib/db/unavailable";
import { DATABASE_PROBE_KEY, PAGE_UNAVAILABLE_MESSAGE } from "./lib/wire/database";
import { mapOrigins, newNonce, pageContentSecurityPolicy } from "./lib/server/security-headers";

type Probe = () => Promise<DatabaseUnavailableError | null>;

/**
 * Every page gets its Content-Security-Policy here, with a fresh nonce: Next.js reads
 * the nonce from the request's CSP header and puts it on its scripts (every page is
 * rendered per request: the root layout reads the session cookie). The other security
 * headers, and the API's CSP, come from next.config.ts.
 *
 * Every page also reads the database (the session, at least). When it cannot be used
 * (lib/server/db.ts probeDatabase, registered by instrumentation.ts), the page is not
 * rendered: the answer is 503 with a page naming the cause, as the API's is.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const csp = pageContentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", mapOrigins: mapOrigins() });
  const unavailable = await probeDatabase();
  if (unavailable) {
    console.error(`database unavailable (${unavailable.reason}) for page ${request.nextUrl.pathname}:`, unavailable.cause ?? unavailable.message);
    return new NextResponse(unavailablePage(), {
      status: 503,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": "5", "content-security-policy": csp },
    });
  }
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

/** The registered probe's verdict; none registered (the proxy alone, in tests) means go on. */
async function probeDatabase(): Promise<DatabaseUnavailableError | null> {
  const probe = (globalThis as Record<string, unknown>)[DATABASE_PROBE_KEY] as Probe | undefined;
  return probe ? probe() : null;
}

/** A plain page (no React: the database is what the app's pages need) in the app's look. */
function unavailablePage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Service unavailable · FlexPlat</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f5f7fa;color:#1c2733}.card{max-width:40rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15)}.code{font-size:2.5rem;font-weight:700;color:#b45309}a{color:#1d4ed8}</style>
</head><body><div class="card" data-testid="db-unavailable"><div class="code">503</div><h1>Service unavailable</h1>
<p>${PAGE_UNAVAILABLE_MESSAGE}</p><p>Your data is safe: nothing was changed. This page does not reload by itself; <a href="">reload it</a> in a moment.</p></div></body></html>`;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API (next.config.ts), Next's static files, or public files (highs.wasm, maplibre/, icons).
      source: "/((?!api/|_next/static|_next/image|highs\\.wasm|maplibre/|icon\\.svg|favicon\\.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
