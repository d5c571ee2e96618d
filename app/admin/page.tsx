import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import { AccountsPanel } from "@/components/admin/accounts-panel";
import { listAccounts } from "@/lib/server/accounts";
import { currentUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";

export const metadata: Metadata = { title: "Accounts" };

/** The administrator's view: operator accounts (create, reset passwords). No grid or market data. */
export default async function AdminPage() {
  const user = await currentUser();
  if (!user) redirect("/signin?next=%2Fadmin");
  if (user.role !== "ADMIN") forbidden();
  const accounts = await listAccounts(await getPrisma());
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Accounts</h1>
          <p>Operators of the platform and their roles. New accounts get a generated password, shown once; a reset signs the account out everywhere.</p>
        </div>
      </div>
      <AccountsPanel initial={accounts} selfId={user.id} />
    </>
  );
}
