/** Runs once when the Next.js server starts: create/migrate the database and seed the demo data. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getPrisma } = await import("./lib/server/db");
  await getPrisma();
}
