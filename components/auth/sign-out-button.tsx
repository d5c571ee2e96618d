"use client";

import { useState } from "react";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await fetch("/api/auth/signout", { method: "POST" }).catch(() => undefined);
    window.location.assign("/signin");
  }
  return (
    <button type="button" className="btn btn-ghost btn-small" onClick={signOut} disabled={busy} data-testid="sign-out">
      Sign out
    </button>
  );
}
