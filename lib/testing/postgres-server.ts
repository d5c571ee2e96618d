import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";

/**
 * A throw-away PostgreSQL server of a test's own (initdb in a temporary folder, 127.0.0.1 on a
 * free port), for tests that stop and start the server — which the shared server of
 * scripts/with-postgres.sh must not do to the other test files. Null when no PostgreSQL
 * binaries are installed (/usr/lib/postgresql/<version>/bin); the tests then skip and say so.
 */
export interface PostgresServer {
  /** postgresql://flexplat@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  stop(): void;
  start(): void;
  /** Stop and remove the data folder. */
  destroy(): void;
}

function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "postgres")))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions[versions.length - 1], "bin") : null;
}

export async function startPostgres(): Promise<PostgresServer | null> {
  const bin = postgresBinDir();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), "flexplat-pgtest-"));
  // PostgreSQL refuses to run as root: as root, run it as the `postgres` account (Debian's package creates it).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), Number(execFileSync("id", ["-g", "postgres"]).toString().trim()));
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const res = spawnSync(file, argv, { encoding: "utf8" });
    if (res.status !== 0) throw new Error(`${cmd} failed: ${res.stderr || res.stdout}`);
  };
  const port = await freePort();
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-U", "flexplat", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
  const opts = `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const server: PostgresServer = {
    url: `postgresql://flexplat@127.0.0.1:${port}/postgres`,
    port,
    start: () => run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"]),
    stop: () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    destroy: () => {
      if (existsSync(join(data, "postmaster.pid"))) {
        try {
          run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } catch {
          /* already gone */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
