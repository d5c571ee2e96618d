import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "prisma/**/*.test.ts", "solver-worker/**/*.test.ts", "components/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One demo-seeded SQLite file, copied by each integration test file (lib/server/test-harness.ts).
    globalSetup: ["lib/testing/demo-template.ts"],
  },
});
