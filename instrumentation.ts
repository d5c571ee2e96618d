/**
 * Runs once when the Next.js server starts: create/migrate the database, seed the
 * demo data in demo mode (FLEXPLAT_DEMO=1), stamp each request with its client's address,
 * let proxy.ts probe the database before each page, start the worker pool's first thread,
 * and purge expired and idle sessions and stale sign-in counters hourly. A
 * database the mode refuses (production on demo data) stops the server with the reason.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Sign-in throttling per client needs the TCP peer's address (lib/server/client-address.ts).
  const { installClientAddressStamp } = await import("./lib/server/client-address");
  await installClientAddressStamp();
  const { getPrisma, registerDatabaseProbe } = await import("./lib/server/db");
  const { databaseTarget, describeTarget } = await import("./lib/db/client");
  const { deploymentMode } = await import("./lib/db/deployment");
  const { purgeExpiredSessions } = await import("./lib/server/session");
  const { purgeStaleThrottles } = await import("./lib/server/sign-in-throttle");
  let prisma: Awaited<ReturnType<typeof getPrisma>>;
  try {
    prisma = await getPrisma();
  } catch (e) {
    console.error(`FlexPlat cannot start: ${(e as Error).message}`);
    process.exit(1);
  }
  // proxy.ts asks this before each page, to answer 503 while the database cannot be used.
  registerDatabaseProbe();
  // The worker pool's first thread, started now rather than by the first upload or BCM run.
  const { warmPool } = await import("./lib/server/pool");
  await warmPool().catch((e) => console.error("the worker pool did not start:", e));
  console.log(`FlexPlat: ${deploymentMode()} mode, database ${describeTarget(databaseTarget())}`);
  const purge = async () => {
    await purgeExpiredSessions(prisma);
    await purgeStaleThrottles(prisma);
  };
  const hourly = setInterval(() => void purge().catch((e) => console.error("purging expired sessions failed:", e)), 60 * 60 * 1000);
  hourly.unref();
}
