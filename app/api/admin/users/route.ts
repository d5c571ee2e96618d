import { createAccount, listAccounts } from "@/lib/server/accounts";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { createAccountSchema } from "./schema";

/** GET → { accounts }: every operator account (no password hashes). Administrators only. */
export const GET = apiRoute(async (req: Request) => {
  await requireUser(req, ["ADMIN"]);
  return jsonResponse({ accounts: await listAccounts(await getPrisma()) });
});

/** POST { username, displayName, role, password? } → 201 { account, password }: password is the generated one (shown once) or null. */
export const POST = apiRoute(async (req: Request) => {
  await requireUser(req, ["ADMIN"]);
  const input = await readJson(req, createAccountSchema);
  return jsonResponse(await createAccount(await getPrisma(), input), { status: 201 });
});
