import { NextResponse, type NextRequest } from "next/server";
import { mapOrigins, newNonce, pageContentSecurityPolicy } from "./lib/server/security-headers";

/**
 * Every page gets its Content-Security-Policy here, with a fresh nonce: Next.js reads
 * the nonce from the request's CSP header and puts it on its scripts (every page is
 * rendered per request: the root layout reads the session cookie). The other security
 * headers, and the API's CSP, come from next.config.ts.
 */
export function proxy(request: NextRequest): NextResponse {
  const csp = pageContentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", mapOrigins: mapOrigins() });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
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
