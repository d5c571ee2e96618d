/**
 * Runs once when the Next.js server starts: create/migrate the database, seed the
 * demo data in demo mode (FLEXPLAT_DEMO=1), and purge expired sessions hourly. A
 * database the mode refuses (production on demo data) stops the server with the reason.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getPrisma } = await import("./lib/server/db");
  const { databaseTarget, describeTarget } = await import("./lib/db/client");
  const { deploymentMode } = await import("./lib/db/deployment");
  const { purgeExpiredSessions } = await import("./lib/server/session");
  let prisma;
  try {
    prisma = await getPrisma();
  } catch (e) {
    console.error(`FlexPlat cannot start: ${(e as Error).message}`);
    process.exit(1);
  }
  console.log(`FlexPlat: ${deploymentMode()} mode, database ${describeTarget(databaseTarget())}`);
  const hourly = setInterval(() => void purgeExpiredSessions(prisma).catch((e) => console.error("purging expired sessions failed:", e)), 60 * 60 * 1000);
  hourly.unref();
}
