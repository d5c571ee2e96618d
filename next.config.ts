import type { NextConfig } from "next";
import { securityHeaderRules } from "./lib/server/security-headers";

const nextConfig: NextConfig = {
  // forbidden() renders app/forbidden.tsx with HTTP 403 (DSO pages opened by other roles).
  experimental: { authInterrupts: true },
  // Native and engine packages load from node_modules at run time; piscina starts its
  // worker threads from its own files (lib/server/pool runs lib/server/pool/worker.mjs).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "piscina"],
  poweredByHeader: false,
  // `next dev` serves its HMR resources to these hosts too (tests and screenshots use 127.0.0.1).
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // nosniff, X-Frame-Options, Referrer-Policy, Permissions-Policy on every response; the API's CSP.
  // Pages get their CSP (with a nonce) from proxy.ts.
  async headers() {
    return securityHeaderRules();
  },
};

export default nextConfig;
