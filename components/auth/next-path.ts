/** Each role's start page: where its work is. */
const START_PAGE: Record<string, string> = { DSO: "/dso", TSO: "/tso", AGGREGATOR: "/bcm", ADMIN: "/admin" };

const PROBE_ORIGIN = "http://flexplat.invalid";

/**
 * A `next` parameter as a path on this site, or null. Browsers drop tabs and line
 * breaks from URLs and read `\` as `/`, so `/%09/evil.example` or `/\evil.example`
 * would leave the site: any control character, space or backslash refuses the
 * value, and what remains must resolve to the same origin.
 */
export function sameSitePath(next: string | undefined | null): string | null {
  if (!next?.startsWith("/") || next.startsWith("//")) return null;
  if (/[\p{Cc} \\]/u.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") ? null : path;
}

/** Where to go after signing in: a same-site path only, else the role's start page. */
export function safeNextPath(next: string | undefined, role: string): string {
  return sameSitePath(next) ?? START_PAGE[role] ?? "/";
}
