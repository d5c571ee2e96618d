"use client";

import { useState, type FormEvent } from "react";
import { safeNextPath } from "./next-path";

export function SignInForm({ next, accounts }: { next?: string; accounts: { username: string; displayName: string; role: string }[] }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/signin", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      const body = (await res.json().catch(() => ({}))) as { error?: string; user?: { role: string } };
      if (!res.ok || !body.user) {
        setError(body.error ?? `sign-in failed (HTTP ${res.status})`);
        setBusy(false);
        return;
      }
      window.location.assign(safeNextPath(next, body.user.role));
    } catch {
      setError("the server could not be reached");
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form className="card" onSubmit={submit} aria-label="Sign in">
        <h1>Sign in</h1>
        <p className="muted small">Operator accounts for TSO, DSO and aggregators.</p>
        <div className="field">
          <label htmlFor="username">User name</label>
          <input id="username" type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        <div className="field">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </div>
        {error && (
          <div className="alert alert-error" role="alert" data-testid="signin-error">
            {error}
          </div>
        )}
      </form>
      <div className="card">
        <h2>Demo accounts</h2>
        <p className="small muted">
          Seeded on first start; every one has the password <code>flexdemo</code>. Click a name to fill the form.
        </p>
        <table className="data account-list">
          <thead>
            <tr>
              <th>User name</th>
              <th>Operator</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.username}>
                <td>
                  <button type="button" onClick={() => (setUsername(a.username), setPassword("flexdemo"))}>
                    {a.username}
                  </button>
                </td>
                <td>{a.displayName}</td>
                <td>
                  <span className={`badge badge-${a.role}`}>{a.role === "AGGREGATOR" ? "Aggregator" : a.role}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
