import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("scrypt password hashes", () => {
  it("verifies the right password and refuses others", async () => {
    const hash = await hashPassword("flexdemo");
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword("flexdemo", hash)).toBe(true);
    expect(await verifyPassword("flexdemO", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash differently", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("treats malformed stored hashes as a mismatch", async () => {
    for (const stored of ["", "plain", "scrypt$x$8$1$AAAA$AAAA", "bcrypt$16384$8$1$AAAA$AAAA", "scrypt$16384$8$1$$"]) {
      expect(await verifyPassword("flexdemo", stored), stored).toBe(false);
    }
  });
});
