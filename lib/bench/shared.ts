import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

/** ../shared beside the project root (where CI puts it), or $FLEX_SHARED_DIR. */
function sharedDir(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  return process.env.FLEX_SHARED_DIR ?? join(root, "..", "shared");
}

export function sharedPath(rel: string): string {
  return join(sharedDir(), rel);
}

export function hasShared(): boolean {
  return existsSync(sharedPath("cases/matpower"));
}
