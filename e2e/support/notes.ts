import { test } from "@playwright/test";

/** A measurement worth reading in the test output (and kept as an annotation in the JSON report). */
export function note(type: string, description: string): void {
  test.info().annotations.push({ type, description });
  console.log(`[${type}] ${description}`);
}
