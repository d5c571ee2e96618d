import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Test access to ../shared (MATPOWER cases and MATPOWER's own results), which CI
 * places beside the project. Tests that need it fail loudly when it is missing
 * rather than skipping silently.
 */
export const SHARED_DIR = process.env.FLEX_SHARED_DIR ?? resolve(process.cwd(), "..", "shared");

export function requireShared(): void {
  if (!existsSync(join(SHARED_DIR, "cases", "matpower"))) {
    throw new Error(`../shared not found at ${SHARED_DIR}: the MATPOWER cases and references are needed for these tests`);
  }
}

export function sharedCaseNames(): string[] {
  requireShared();
  return readdirSync(join(SHARED_DIR, "cases", "matpower"))
    .filter((f) => f.endsWith(".m"))
    .map((f) => f.slice(0, -2))
    .sort();
}

/** Cases in ../shared/cases/matpower for which MATPOWER's results include `<case>_<kind>.json`. */
export function sharedCasesWithReference(kind: "pf" | "opf"): string[] {
  return sharedCaseNames().filter((name) => existsSync(join(SHARED_DIR, "reference", `${name}_${kind}.json`)));
}

export function readSharedCase(name: string): string {
  return readFileSync(join(SHARED_DIR, "cases", "matpower", `${name}.m`), "utf8");
}

export function readReference<T = Record<string, unknown>>(rel: string): T {
  return JSON.parse(readFileSync(join(SHARED_DIR, "reference", rel), "utf8")) as T;
}

export function readSharedText(rel: string): string {
  return readFileSync(join(SHARED_DIR, rel), "utf8");
}
