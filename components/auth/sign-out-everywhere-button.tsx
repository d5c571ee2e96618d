"use client";

import { useState } from "react";

/** Ends every session of the account (other browsers too), then goes to the sign-in form. */
export function SignOutEverywhereButton({ idleMinutes }: { idleMinutes: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function signOutEverywhere() {
    setBusy(true);
    setError(null);
    const res = await fetch("/api/auth/signout-all", { method: "POST" }).catch(() => null);
    if (res?.ok || res?.status === 401) {
      window.location.assign("/signin");
      return;
    }
    setError(res ? `signing out failed (HTTP ${res.status})` : "the server could not be reached");
    setBusy(false);
  }
  return (
    <div className="card" data-testid="sessions">
      <h2>Sessions</h2>
      <p className="muted">
        A session ends after {idleMinutes} minutes without use, and 12 hours after signing in at the latest. Signing out everywhere ends this browser&apos;s session and every other one of your
        account, e.g. on a computer you no longer use.
      </p>
      <button type="button" className="btn btn-danger" onClick={signOutEverywhere} disabled={busy} data-testid="sign-out-everywhere">
        Sign out everywhere
      </button>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
