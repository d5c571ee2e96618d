import { defineConfig } from "@playwright/test";

/**
 * Specs that start (and kill) their own production servers — lib/testing/servers.ts — so
 * Playwright starts none: the kill tests (e2e/faults.spec.ts) and two servers on one
 * PostgreSQL database (e2e/two-servers.spec.ts). They need the build (.next/) and no browser.
 * `npx playwright test -c playwright.servers.config.ts`; scripts/test.sh runs it under
 * scripts/with-postgres.sh (FLEXPLAT_E2E_PG_URL) after the build.
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: ["faults.spec.ts", "two-servers.spec.ts"],
  outputDir: "test-results/servers",
  timeout: 240_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
});
