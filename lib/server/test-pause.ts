import "server-only";
/**
 * A test-only hook for the kill tests (e2e/faults.spec.ts): with FLEXPLAT_TEST_HOOKS=1 (or
 * NODE_ENV=test) and FLEXPLAT_TEST_PAUSE_AT naming a point (comma-separated), the server
 * logs "FLEXPLAT_TEST_PAUSE_AT <point>" and sleeps there — inside the write's transaction —
 * for FLEXPLAT_TEST_PAUSE_MS (default 20 s), so a test can SIGKILL it in the middle of the
 * write and check that the database holds no partial rows. Without those variables it
 * does nothing. Points: portfolio-upload (portfolio row written, its bids not yet),
 * light-model-publish (grid's published name set, the model not yet published), bcm-run
 * (the market cleared, its run about to be stored).
 */
export type PausePoint = "portfolio-upload" | "light-model-publish" | "bcm-run";

export async function testPause(point: PausePoint): Promise<void> {
  const at = process.env.FLEXPLAT_TEST_PAUSE_AT;
  if (!at?.split(",").includes(point)) return;
  if (process.env.FLEXPLAT_TEST_HOOKS !== "1" && process.env.NODE_ENV !== "test") return;
  console.log(`FLEXPLAT_TEST_PAUSE_AT ${point}`);
  await new Promise((r) => setTimeout(r, Number(process.env.FLEXPLAT_TEST_PAUSE_MS ?? 20_000)));
}
