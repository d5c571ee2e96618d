/** Each role's start page: where its work is. */
const START_PAGE: Record<string, string> = { DSO: "/dso", TSO: "/tso", AGGREGATOR: "/bcm" };

/** Where to go after signing in: a same-site path only, else the role's start page. */
export function safeNextPath(next: string | undefined, role: string): string {
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")) return next;
  return START_PAGE[role] ?? "/";
}
