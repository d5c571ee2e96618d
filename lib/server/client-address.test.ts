import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, installClientAddressStamp, trustedProxyHops } from "./client-address";

function req(headers: Record<string, string>): Request {
  return new Request("http://localhost/api/auth/signin", { method: "POST", headers });
}

describe("client address for sign-in throttling", () => {
  it("reads FLEXPLAT_TRUST_PROXY as a number of proxies", () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ FLEXPLAT_TRUST_PROXY: "false" })).toBe(0);
    expect(trustedProxyHops({ FLEXPLAT_TRUST_PROXY: "true" })).toBe(1);
    expect(trustedProxyHops({ FLEXPLAT_TRUST_PROXY: "2" })).toBe(2);
    expect(() => trustedProxyHops({ FLEXPLAT_TRUST_PROXY: "yes" })).toThrow(/number of trusted proxies/);
  });

  it("behind trusted proxies takes the entry the outermost one appended, not what the client claimed", () => {
    const forwarded = req({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" });
    expect(clientAddress(forwarded, { FLEXPLAT_TRUST_PROXY: "1" })).toBe("10.0.0.2");
    expect(clientAddress(forwarded, { FLEXPLAT_TRUST_PROXY: "2" })).toBe("203.0.113.7");
    expect(clientAddress(forwarded, { FLEXPLAT_TRUST_PROXY: "5" })).toBe("6.6.6.6");
  });

  it("without a trusted proxy believes the stamped peer address once the stamp is installed, never X-Forwarded-For", async () => {
    const spoofed = { "x-forwarded-for": "6.6.6.6", [CLIENT_ADDRESS_HEADER]: "127.0.0.1" };
    expect(clientAddress(req({ "x-forwarded-for": "6.6.6.6" }), {})).toBe("6.6.6.6"); // no stamp in this process yet: what Next.js filled in
    await installClientAddressStamp();
    expect(clientAddress(req(spoofed), {})).toBe("127.0.0.1");
    expect(clientAddress(req({}), {})).toBe("unknown");
  });

  it("the stamp overwrites a client's own header with the TCP peer", async () => {
    const { createServer, request } = await import("node:http");
    await installClientAddressStamp();
    const server = createServer((r, res) => res.end(String(r.headers[CLIENT_ADDRESS_HEADER])));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: "127.0.0.1", port, headers: { [CLIENT_ADDRESS_HEADER]: "6.6.6.6" } }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(text));
      })
        .on("error", reject)
        .end();
    });
    server.close();
    expect(body).toBe("127.0.0.1");
  });
});
