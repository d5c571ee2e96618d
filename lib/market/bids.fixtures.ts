import { expect } from "vitest";
import { BidFormatError } from "./bids";

/** Expects `f` to throw a BidFormatError whose message matches `pattern`. */
export function expectBidFormatError(f: () => unknown, pattern: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BidFormatError);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error("expected a BidFormatError");
}
