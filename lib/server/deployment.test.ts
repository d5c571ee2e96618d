import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { databasePath } from "@/lib/db/client";
import { deploymentMode } from "@/lib/db/deployment";
import { runAccountsCommand } from "./accounts-cli";
import { getPrisma } from "./db";
import { DEMO_ACCOUNTS } from "./demo-data";
import { signInPageInfo } from "./deployment";
import { signIn } from "./sign-in";
import { useTestDatabase } from "./test-harness";

const state = useTestDatabase({ demo: false });

/** Forget the server's client, as a restart would. */
async function restart(): Promise<void> {
  const holder = globalThis as { __flexplatDb?: { ready: Promise<{ $disconnect(): Promise<void> }> } };
  await (await holder.__flexplatDb?.ready.catch(() => null))?.$disconnect();
  holder.__flexplatDb = undefined;
}

describe("deployment mode", () => {
  it("reads FLEXPLAT_DEMO (unset: production) and keeps demo and production data in different files", () => {
    expect(deploymentMode({})).toBe("production");
    expect(deploymentMode({ FLEXPLAT_DEMO: "0" })).toBe("production");
    expect(deploymentMode({ FLEXPLAT_DEMO: "1" })).toBe("demo");
    expect(deploymentMode({ FLEXPLAT_DEMO: "true" })).toBe("demo");
    expect(() => deploymentMode({ FLEXPLAT_DEMO: "maybe" })).toThrow(/FLEXPLAT_DEMO='maybe' is neither on \(1, true\) nor off/);
    expect(databasePath({})).toBe(join(process.cwd(), "data", "flexplat.db"));
    expect(databasePath({ FLEXPLAT_DEMO: "1" })).toBe(join(process.cwd(), "data", "demo.db"));
    expect(databasePath({ FLEXPLAT_DEMO: "1", FLEXPLAT_DB_PATH: "/srv/flex.db" })).toBe("/srv/flex.db");
  });

  it("seeds nothing on a fresh production database: no demo accounts, grids or bids, and none listed on the sign-in page", async () => {
    const prisma = await getPrisma();
    expect(await prisma.user.count()).toBe(0);
    expect(await prisma.grid.count()).toBe(0);
    expect(await prisma.bidPortfolio.count()).toBe(0);
    expect(await prisma.seedRecord.count()).toBe(0);
    expect(await signInPageInfo(prisma)).toEqual({ demoAccounts: [], demoPassword: null, noAccountsYet: true });
    await expect(signIn(prisma, "tso", "flexdemo")).rejects.toThrow("unknown user name or wrong password");
    expect((await signInPageInfo(prisma, { FLEXPLAT_DEMO: "1" })).demoAccounts.map((a) => a.username)).toEqual(DEMO_ACCOUNTS.map((a) => a.username));
  });

  it("lets the operator create the first administrator on the command line, with a generated password printed once", async () => {
    const prisma = await getPrisma();
    const lines: string[] = [];
    await runAccountsCommand(prisma, ["create", "root-admin", "--role", "ADMIN", "--name", "Platform operator"], (l) => lines.push(l));
    const pw = /password \(shown once\): (\S+)$/.exec(lines[0])![1];
    const { user } = await signIn(prisma, "root-admin", pw);
    expect(user).toMatchObject({ username: "root-admin", role: "ADMIN", displayName: "Platform operator" });
    expect((await signInPageInfo(prisma)).noAccountsYet).toBe(false);
    await runAccountsCommand(prisma, ["reset-password", "root-admin"], (l) => lines.push(l));
    await expect(signIn(prisma, "root-admin", pw)).rejects.toThrow();
    await expect(runAccountsCommand(prisma, ["create", "x1", "--role", "ROOT"], () => {})).rejects.toThrow(/--role must be one of TSO, DSO, AGGREGATOR, ADMIN/);
  });

  it("refuses to start production on a database that holds the demo data, saying how to start the demo instead", async () => {
    const prisma = await getPrisma();
    await prisma.seedRecord.create({ data: { key: "accounts:v1" } });
    await restart();
    await expect(getPrisma()).rejects.toThrow(/holds FlexPlat's demo data .* a production start refuses it\. Start the demo with `npm run demo`/);
    expect(state.dir).not.toBe("");
  });
});
