import "server-only";
/**
 * The address a request came from, for throttling sign-ins per client.
 *
 * Next.js gives route handlers no socket. By default (no proxy trusted) the address is
 * the TCP peer's, which instrumentation.ts stamps on every incoming request in the
 * header CLIENT_ADDRESS_HEADER, overwriting whatever a client sent under that name;
 * `X-Forwarded-For` is not believed then, since any client can write it.
 *
 * Behind a reverse proxy every request comes from the proxy, so set
 * FLEXPLAT_TRUST_PROXY to the number of proxies in front of FlexPlat (usually 1): the
 * address is then the entry of `X-Forwarded-For` that the outermost trusted proxy
 * appended, counted from the right. (The first entry is what the client claimed and
 * can be forged; with one proxy that overwrites the header, first and last agree.)
 */
export const CLIENT_ADDRESS_HEADER = "x-flexplat-client-address";

const holder = globalThis as typeof globalThis & { __flexplatAddressStamp?: boolean };

/** Number of trusted proxies from FLEXPLAT_TRUST_PROXY (unset, "", "0" or "false": none; "true": one). */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const raw = (env.FLEXPLAT_TRUST_PROXY ?? "").trim().toLowerCase();
  if (raw === "" || raw === "0" || raw === "false") return 0;
  if (raw === "true") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new Error(`FLEXPLAT_TRUST_PROXY must be the number of trusted proxies (0 to 10), not '${raw}'`);
  return n;
}

function forwardedFor(req: Request): string[] {
  return (req.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export function clientAddress(req: Request, env: Record<string, string | undefined> = process.env): string {
  const hops = trustedProxyHops(env);
  if (hops > 0) {
    const list = forwardedFor(req);
    if (list.length > 0) return list[Math.max(0, list.length - hops)];
  }
  const stamped = holder.__flexplatAddressStamp ? req.headers.get(CLIENT_ADDRESS_HEADER) : null;
  if (stamped) return stamped;
  // No stamp (tests that call handlers directly, a request before the stamp was installed):
  // what Next.js put in X-Forwarded-For, which is the peer's address when the client sent none.
  return forwardedFor(req)[0] ?? "unknown";
}

/**
 * Stamp the TCP peer's address on every request the Node HTTP server receives, before
 * Next.js sees it (called once from instrumentation.ts).
 */
export async function installClientAddressStamp(): Promise<void> {
  if (holder.__flexplatAddressStamp) return;
  const http = await import("node:http");
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } };
      req.headers[CLIENT_ADDRESS_HEADER] = req.socket?.remoteAddress ?? "unknown";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  holder.__flexplatAddressStamp = true;
}
