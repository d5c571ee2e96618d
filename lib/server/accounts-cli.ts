import "server-only";
import { parseArgs } from "node:util";
import { databaseTarget, describeTarget, openTarget, type PrismaClient } from "@/lib/db/client";
import { deploymentMode } from "@/lib/db/deployment";
import { createAccount, listAccounts, resetPassword } from "./accounts";
import { ApiError } from "./api-error";
import { isRole, ROLES } from "@/lib/wire/roles";

/**
 * The operator's account tool on the server, for what no browser can do yet — the
 * first administrator of a production database — and for emergencies:
 *   npm run -s accounts -- list
 *   npm run -s accounts -- create <username> --role ADMIN [--name "Display name"]
 *   npm run -s accounts -- reset-password <username>
 * Passwords are generated and printed once. Uses the database the server would
 * (DATABASE_URL for PostgreSQL, else the SQLite file FLEXPLAT_DB_PATH, data/flexplat.db, or data/demo.db with FLEXPLAT_DEMO=1).
 */

const USAGE = `usage:
  npm run -s accounts -- list
  npm run -s accounts -- create <username> --role ${ROLES.join("|")} [--name "Display name"]
  npm run -s accounts -- reset-password <username>`;

/** The acting "administrator" of a command-line reset: the server operator, who may reset any account. */
const OPERATOR = { id: "", username: "server operator", displayName: "server operator", role: "ADMIN" as const };

export async function runAccountsCommand(prisma: PrismaClient, argv: string[], out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { role: { type: "string" }, name: { type: "string" } }, allowPositionals: true, strict: true });
  const [command, username, ...extra] = positionals;
  if (extra.length) throw new ApiError("bad_request", `unexpected argument '${extra[0]}'`);
  if (command === "list") {
    for (const a of await listAccounts(prisma)) out(`${a.username.padEnd(20)} ${a.role.padEnd(11)} ${a.displayName} (${a.activeSessions} active sessions)`);
    return;
  }
  if (!username) throw new ApiError("bad_request", `${command ?? "a command"} needs a user name\n${USAGE}`);
  if (command === "create") {
    if (!values.role || !isRole(values.role)) throw new ApiError("bad_request", `--role must be one of ${ROLES.join(", ")}`);
    const { account, password } = await createAccount(prisma, { username, displayName: values.name ?? username, role: values.role });
    out(`created ${account.username} (${account.role}); password (shown once): ${password}`);
    return;
  }
  if (command === "reset-password") {
    const user = await prisma.user.findUnique({ where: { username }, select: { id: true } });
    if (!user) throw new ApiError("not_found", `no account named '${username}'`);
    const { password } = await resetPassword(prisma, OPERATOR, user.id);
    out(`new password of ${username} (shown once; its sessions have ended): ${password}`);
    return;
  }
  throw new ApiError("bad_request", USAGE);
}

async function main(): Promise<void> {
  const target = databaseTarget();
  const { prisma } = await openTarget(target);
  try {
    process.stderr.write(`database ${describeTarget(target)} (${deploymentMode()} mode)\n`);
    await runAccountsCommand(prisma, process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = e instanceof ApiError ? 2 : 1;
  } finally {
    await prisma.$disconnect();
  }
}

if (process.argv[1]?.endsWith("accounts-cli.ts")) void main();
