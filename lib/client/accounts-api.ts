import { json } from "./api";
import type { AccountSummary } from "@/lib/wire/accounts";
import type { Role } from "@/lib/wire/roles";

/** The account calls of the Accounts page (administrators) and the account page (everyone). */

const JSON_HEADERS = { "content-type": "application/json" };

export async function fetchAccounts(): Promise<AccountSummary[]> {
  return (await json<{ accounts: AccountSummary[] }>(await fetch("/api/admin/users"))).accounts;
}

export async function createAccount(input: { username: string; displayName: string; role: Role; password?: string }): Promise<{ account: AccountSummary; password: string | null }> {
  return json(await fetch("/api/admin/users", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(input) }));
}

export async function resetAccountPassword(id: string): Promise<{ username: string; password: string | null }> {
  return json(await fetch(`/api/admin/users/${encodeURIComponent(id)}/password`, { method: "POST", headers: JSON_HEADERS, body: "{}" }));
}

export async function changeOwnPassword(currentPassword: string, newPassword: string): Promise<void> {
  await json(await fetch("/api/auth/password", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ currentPassword, newPassword }) }));
}
