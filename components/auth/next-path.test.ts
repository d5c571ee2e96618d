import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("follows same-site paths only", () => {
    expect(safeNextPath("/dso?grid=abc", "DSO")).toBe("/dso?grid=abc");
    expect(safeNextPath("//evil.example/x", "DSO")).toBe("/dso");
    expect(safeNextPath("/\\evil.example", "TSO")).toBe("/");
    expect(safeNextPath("https://evil.example", "TSO")).toBe("/");
    expect(safeNextPath(undefined, "AGGREGATOR")).toBe("/");
  });
});
