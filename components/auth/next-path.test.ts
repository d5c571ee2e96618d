import { describe, expect, it } from "vitest";
import { safeNextPath, sameSitePath } from "./next-path";

describe("safeNextPath", () => {
  it("follows same-site paths only, else the role's start page", () => {
    expect(safeNextPath("/dso?grid=abc", "DSO")).toBe("/dso?grid=abc");
    expect(safeNextPath("//evil.example/x", "DSO")).toBe("/dso");
    expect(safeNextPath("/\\evil.example", "TSO")).toBe("/tso");
    expect(safeNextPath("https://evil.example", "TSO")).toBe("/tso");
    expect(safeNextPath(undefined, "AGGREGATOR")).toBe("/bcm");
    expect(safeNextPath(undefined, "ADMIN")).toBe("/admin");
    expect(safeNextPath(undefined, "SOMETHING-ELSE")).toBe("/");
  });

  it("refuses the paths browsers turn into another site: control characters, spaces, backslashes", () => {
    // `/signin?next=/%09/evil.example/phish`: Chromium drops the tab and goes to //evil.example/phish.
    for (const next of ["/\t/evil.example/phish", "/\n/evil.example", "/\r\n/evil.example", "/ /evil.example", "/\u0000/x", "/a\\b", "/\u0085/evil.example"]) {
      expect(sameSitePath(next), JSON.stringify(next)).toBeNull();
      expect(safeNextPath(next, "TSO")).toBe("/tso");
    }
    expect(sameSitePath("/tso/../dso?x=1#top")).toBe("/dso?x=1#top");
    expect(sameSitePath("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(sameSitePath("javascript:alert(1)")).toBeNull();
  });
});
