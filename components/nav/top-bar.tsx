import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { RoleBadge } from "@/components/auth/role-badge";
import { navItemsFor } from "./nav-items";
import { NavLinks } from "./nav-links";
import type { SessionUser } from "@/lib/wire/roles";

export function TopBar({ user }: { user: SessionUser | null }) {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/" className="brand">
          <span className="brand-name">FlexPlat</span>
          <span className="brand-tag">TSO–DSO flexibility platform</span>
        </Link>
        <NavLinks items={navItemsFor(user?.role ?? null)} />
        <div className="userbox">
          {user ? (
            <>
              <Link href="/account" className="who" data-testid="current-user" title="Your account: change your password">
                <strong>{user.displayName}</strong>
                <small>
                  {user.username} · <RoleBadge role={user.role} />
                </small>
              </Link>
              <SignOutButton />
            </>
          ) : (
            <Link href="/signin" className="btn btn-ghost btn-small">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
