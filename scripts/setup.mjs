#!/usr/bin/env node
// One-time (and idempotent) project setup after `npm ci`:
//  1. generate the Prisma client into lib/generated/ (offline: the schema engine is not needed for generate);
//  2. copy HiGHS's WebAssembly to public/ so the solver worker can fetch /highs.wasm;
//  3. bundle the server's worker-pool entry into lib/server/pool/worker.mjs (scripts/build-pool-worker.mjs).
// The database itself is created, migrated and seeded when the server starts (instrumentation.ts).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPoolWorker } from "./build-pool-worker.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function step(name, fn) {
  const t0 = Date.now();
  await fn();
  console.log(`setup: ${name} (${Date.now() - t0} ms)`);
}

await step("Prisma client generated into lib/generated/prisma", () => {
  const env = { ...process.env };
  // `prisma generate` only needs the path to exist; it does not run the engine (see ../shared/docs/ENVIRONMENT.md).
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync("/bin/true") ? "/bin/true" : process.execPath;
  const prisma = join(root, "node_modules", "prisma", "build", "index.js");
  if (!existsSync(prisma)) {
    console.error("setup: node_modules/prisma is missing; run `npm ci` first");
    process.exit(1);
  }
  const res = spawnSync(process.execPath, [prisma, "generate", "--schema", join(root, "prisma", "schema.prisma")], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  if (res.status !== 0) {
    process.stdout.write(res.stdout ?? "");
    console.error("setup: prisma generate failed");
    process.exit(res.status ?? 1);
  }
});

await step("public/highs.wasm copied from the highs package", () => {
  mkdirSync(join(root, "public"), { recursive: true });
  copyFileSync(join(root, "node_modules", "highs", "build", "highs.wasm"), join(root, "public", "highs.wasm"));
});

await step("lib/server/pool/worker.mjs bundled from lib/server/pool/worker-entry.ts", buildPoolWorker);
