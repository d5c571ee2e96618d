import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config as proxyConfig, proxy } from "@/proxy";
import { API_CONTENT_SECURITY_POLICY, mapOrigins, pageContentSecurityPolicy } from "./security-headers";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
}

describe("security headers", () => {
  it("next.config sends nosniff, DENY framing, a referrer and a permissions policy on every response, and a locked-down CSP on the API", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*")!;
    expect(Object.fromEntries(all.headers.map((h) => [h.key, h.value]))).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
      "Permissions-Policy": expect.stringContaining("camera=()"),
    });
    expect(all.headers.some((h) => h.key.toLowerCase() === "content-security-policy")).toBe(false); // pages get theirs from the proxy, with a nonce
    const api = rules.find((r) => r.source === "/api/:path*")!;
    expect(api.headers).toEqual([{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }]);
    expect(directives(API_CONTENT_SECURITY_POLICY).get("default-src")).toEqual(["'none'"]);
    expect(directives(API_CONTENT_SECURITY_POLICY).get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("gives each page request its own nonce, on the request (for Next's scripts) and on the response", async () => {
    const a = await proxy(new NextRequest("http://localhost/dso"));
    const b = await proxy(new NextRequest("http://localhost/dso"));
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)![1];
    expect(nonce.length).toBeGreaterThanOrEqual(22);
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    // NextResponse.next({ request: { headers } }) forwards the request headers as x-middleware-request-*.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("allows exactly what the app needs: its own scripts by nonce, WebAssembly, same-origin and blob workers, inline styles; no eval, no framing, no plugins", () => {
    const d = directives(pageContentSecurityPolicy({ nonce: "abc" }));
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'", "'wasm-unsafe-eval'"]);
    expect(d.get("worker-src")).toEqual(["'self'", "blob:"]);
    expect(d.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expect([...d.values()].flat()).not.toContain("'unsafe-eval'");
    expect(d.get("script-src")).not.toContain("'unsafe-inline'");
    expect(directives(pageContentSecurityPolicy({ nonce: "abc", dev: true })).get("script-src")).toContain("'unsafe-eval'");
  });

  it("adds a configured basemap's origin for the map, and nothing for the offline default", () => {
    expect(mapOrigins({})).toEqual([]);
    const origins = mapOrigins({ NEXT_PUBLIC_BASEMAP_STYLE_URL: "https://tiles.example.org/styles/basic.json", FLEXPLAT_CSP_MAP_ORIGINS: "https://a.tiles.example.org javascript:alert(1)" });
    expect(origins).toEqual(["https://tiles.example.org", "https://a.tiles.example.org"]);
    const d = directives(pageContentSecurityPolicy({ nonce: "n", mapOrigins: origins }));
    expect(d.get("connect-src")).toEqual(["'self'", "https://tiles.example.org", "https://a.tiles.example.org"]);
    expect(d.get("img-src")).toContain("https://tiles.example.org");
  });

  it("runs the proxy on pages, not on the API, Next's static files or the public WebAssembly and worker files", () => {
    const source = new RegExp(`^${proxyConfig.matcher[0].source}$`);
    for (const path of ["/", "/dso", "/tso/study", "/audit", "/signin"]) expect(source.test(path), path).toBe(true);
    for (const path of ["/api/grids", "/_next/static/chunks/x.js", "/highs.wasm", "/maplibre/maplibre-gl-worker.mjs"]) expect(source.test(path), path).toBe(false);
  });
});
