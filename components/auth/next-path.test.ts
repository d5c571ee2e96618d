import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("follows same-site paths only, else the role's start page", () => {
    expect(safeNextPath("/dso?grid=abc", "DSO")).toBe("/dso?grid=abc");
    expect(safeNextPath("//evil.example/x", "DSO")).toBe("/dso");
    expect(safeNextPath("/\\evil.example", "TSO")).toBe("/tso");
    expect(safeNextPath("https://evil.example", "TSO")).toBe("/tso");
    expect(safeNextPath(undefined, "AGGREGATOR")).toBe("/bcm");
    expect(safeNextPath(undefined, "SOMETHING-ELSE")).toBe("/");
  });
});
