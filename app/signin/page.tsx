import type { Metadata } from "next";
import Link from "next/link";
import { sameSitePath } from "@/components/auth/next-path";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { signInPageInfo } from "@/lib/server/deployment";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const [{ next }, user] = await Promise.all([searchParams, currentUser()]);
  if (user) {
    return (
      <div className="card">
        <h1>You are signed in</h1>
        <p>
          as <strong>{user.displayName}</strong> ({user.username}). Sign out first to use another account, or go <Link href={user.role === "DSO" ? "/dso" : "/"}>to your start page</Link>.
        </p>
      </div>
    );
  }
  const info = await signInPageInfo(await getPrisma());
  return <SignInForm next={sameSitePath(typeof next === "string" ? next : undefined) ?? undefined} {...info} />;
}
