/**
 * Security headers of every response (next.config.ts) and the Content-Security-Policy
 * of pages (proxy.ts, with a fresh nonce per request) and of API responses. Plain
 * functions without server imports: next.config.ts and the proxy both read them.
 *
 * What the pages need, and why each source is there:
 * - script-src: Next.js's own scripts carry the request's nonce; 'strict-dynamic' lets
 *   them load the app's chunks (and the workers' module imports); 'wasm-unsafe-eval'
 *   compiles HiGHS (/highs.wasm) and any other WebAssembly, without allowing eval().
 *   Development only: 'unsafe-eval' (React's dev tooling uses eval).
 * - worker-src 'self' blob: the solver worker is a same-origin module script; MapLibre's
 *   worker is /maplibre/maplibre-gl-worker.mjs, and MapLibre and deck.gl may start
 *   workers from blob: URLs.
 * - style-src 'unsafe-inline': Plotly writes <style> elements and style attributes at
 *   run time, and React renders style="…" attributes; neither can carry a nonce.
 * - img-src data: blob: — MapLibre and deck.gl load icons and canvases as blob:/data:
 *   URLs, Plotly's "download plot" makes a data: image.
 * - connect-src 'self': the API, /highs.wasm. The map runs offline on its own GeoJSON; a
 *   basemap (NEXT_PUBLIC_BASEMAP_STYLE_URL) adds its origin, and
 *   FLEXPLAT_CSP_MAP_ORIGINS (space-separated origins) any tile or glyph hosts it uses.
 */

export interface PageCspOptions {
  nonce: string;
  dev?: boolean;
  /** Extra origins the map may fetch from (style, tiles, glyphs, sprites). */
  mapOrigins?: readonly string[];
}

export function pageContentSecurityPolicy({ nonce, dev = false, mapOrigins = [] }: PageCspOptions): string {
  const map = mapOrigins.length ? ` ${mapOrigins.join(" ")}` : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${map}`,
    "font-src 'self' data:",
    `connect-src 'self'${map}${dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API responses are data, never documents: they may load nothing and be framed by no one. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers every response carries (pages, API, static files). */
const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), browsing-topics=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** Origins the map may fetch from: the basemap style's and FLEXPLAT_CSP_MAP_ORIGINS. */
export function mapOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const out = new Set<string>();
  const style = env.NEXT_PUBLIC_BASEMAP_STYLE_URL?.trim();
  if (style) {
    try {
      out.add(new URL(style).origin);
    } catch {
      // Not a URL: the map falls back to the offline style; nothing to allow.
    }
  }
  for (const o of (env.FLEXPLAT_CSP_MAP_ORIGINS ?? "").split(/\s+/)) {
    if (/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(o)) out.add(o);
  }
  return [...out];
}

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The `headers()` rules of next.config.ts. */
export function securityHeaderRules(): { source: string; headers: { key: string; value: string }[] }[] {
  return [
    { source: "/:path*", headers: [...SECURITY_HEADERS] },
    { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
  ];
}
