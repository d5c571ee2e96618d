import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { latestOnly } from "./latest-only";

describe("latestOnly", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("passes the first call at once and only the latest of the following ones per interval", () => {
    const seen: number[] = [];
    const f = latestOnly((n: number) => seen.push(n), 100);
    f.call(1);
    f.call(2);
    f.call(3);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(99);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 3]);
    vi.advanceTimersByTime(500);
    f.call(4);
    expect(seen).toEqual([1, 3, 4]);
  });

  it("drops a pending call, so a final state set afterwards is not overwritten", () => {
    const seen: string[] = [];
    const f = latestOnly((s: string) => seen.push(s), 100);
    f.call("running 1");
    f.call("running 2");
    f.drop();
    seen.push("done");
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(["running 1", "done"]);
  });
});
