#!/usr/bin/env node
// The server Playwright tests against: the production build (`npm run build`) in demo
// mode (FLEXPLAT_DEMO=1) on a fresh database under data/e2e/, so every e2e run starts
// from the seeded demo state.
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.E2E_PORT ?? "3100";
const dbPath = process.env.FLEXPLAT_DB_PATH ?? join(root, "data", "e2e", "flexplat.db");

if (!existsSync(join(root, ".next", "BUILD_ID"))) {
  console.error("e2e-server: no production build in .next/; run `npm run build` first (npm test does)");
  process.exit(1);
}
rmSync(dirname(dbPath), { recursive: true, force: true });

const next = join(root, "node_modules", "next", "dist", "bin", "next");
const child = spawn(process.execPath, [next, "start", "-p", port, "-H", "127.0.0.1"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, FLEXPLAT_DB_PATH: dbPath, FLEXPLAT_DEMO: "1", NODE_ENV: "production" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
