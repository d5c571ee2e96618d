import "server-only";
/**
 * How the platform runs. In **production** (the default) the database holds only
 * what operators put there: no demo accounts, grids or bids, and a database that
 * holds the demo data is refused. In **demo** mode (`FLEXPLAT_DEMO=1`, what
 * `npm run demo` and `npm run dev` set) the demo accounts, grids, light models and
 * portfolios are seeded on first start. The two use different database files by
 * default, so one never runs on the other's data.
 */
export type DeploymentMode = "demo" | "production";

/** The environment variables read here (process.env by default). */
export type Env = Readonly<Record<string, string | undefined>>;

export class DeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeploymentError";
  }
}

const ON = new Set(["1", "true", "yes", "on"]);
const OFF = new Set(["", "0", "false", "no", "off"]);

export function deploymentMode(env: Env = process.env): DeploymentMode {
  const raw = (env.FLEXPLAT_DEMO ?? "").trim().toLowerCase();
  if (ON.has(raw)) return "demo";
  if (OFF.has(raw)) return "production";
  throw new DeploymentError(`FLEXPLAT_DEMO='${env.FLEXPLAT_DEMO}' is neither on (1, true) nor off (0, false, unset)`);
}

/** The database file's name under data/ when FLEXPLAT_DB_PATH does not name one. */
export function defaultDatabaseFile(mode: DeploymentMode): string {
  return mode === "demo" ? "demo.db" : "flexplat.db";
}
