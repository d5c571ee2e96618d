import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RoleBadge } from "@/components/auth/role-badge";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { SignOutEverywhereButton } from "@/components/auth/sign-out-everywhere-button";
import { currentUser } from "@/lib/server/auth";
import { sessionIdleMs } from "@/lib/server/session";

export const metadata: Metadata = { title: "Your account" };

/** Every signed-in operator: who it is signed in as, its password, and its sessions. */
export default async function AccountPage() {
  const user = await currentUser();
  if (!user) redirect("/signin?next=%2Faccount");
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Your account</h1>
          <p>
            {user.displayName} · {user.username} · <RoleBadge role={user.role} />
          </p>
        </div>
      </div>
      <ChangePasswordForm username={user.username} />
      <SignOutEverywhereButton idleMinutes={sessionIdleMs() / 60_000} />
    </>
  );
}
