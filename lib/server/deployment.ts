import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import { deploymentMode, type Env } from "@/lib/db/deployment";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoAccount } from "./demo-data";

/** What the sign-in page offers: the demo accounts in demo mode only, and a hint when a production database has no account yet. */
export interface SignInPageInfo {
  demoAccounts: DemoAccount[];
  demoPassword: string | null;
  /** A production database without any account: the operator creates the first administrator on the command line. */
  noAccountsYet: boolean;
}

export async function signInPageInfo(prisma: PrismaClient, env: Env = process.env): Promise<SignInPageInfo> {
  if (deploymentMode(env) === "demo") return { demoAccounts: DEMO_ACCOUNTS.map((a) => ({ ...a })), demoPassword: DEMO_PASSWORD, noAccountsYet: false };
  return { demoAccounts: [], demoPassword: null, noAccountsYet: (await prisma.user.count()) === 0 };
}
