import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // lib/server and lib/db start with `import "server-only"`, which throws unless resolved with
      // the react-server condition (as Next does for server code); the tests run them in Node.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "prisma/**/*.test.ts", "solver-worker/**/*.test.ts", "components/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Bundles lib/server/pool/worker.mjs (the server's worker pool runs it), then seeds one
    // demo SQLite file that each integration test file copies (lib/server/test-harness.ts).
    globalSetup: ["./scripts/vitest-global-setup.mjs", "lib/testing/demo-template.ts"],
  },
});
