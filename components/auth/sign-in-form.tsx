"use client";

import { useState, type FormEvent } from "react";
import { useHydrated } from "../forms/use-hydrated";
import { safeNextPath } from "./next-path";
import { TableHead } from "@/components/ui/table-head";

const ROLE_SHORT: Record<string, string> = { AGGREGATOR: "Aggregator", ADMIN: "Admin" };

interface Props {
  next?: string;
  /** Listed in demo mode only (empty in production). */
  demoAccounts: { username: string; displayName: string; role: string }[];
  demoPassword: string | null;
  noAccountsYet: boolean;
}

export function SignInForm({ next, demoAccounts, demoPassword, noAccountsYet }: Props) {
  const hydrated = useHydrated();
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
          <input id="username" type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} disabled={!hydrated} required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={!hydrated} required />
        </div>
        <div className="field">
          <button type="submit" className="btn btn-primary" disabled={busy || !hydrated}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </div>
        {error && (
          <div className="alert alert-error" role="alert" data-testid="signin-error">
            {error}
          </div>
        )}
      </form>
      {noAccountsYet && (
        <div className="card" data-testid="no-accounts-yet">
          <h2>No accounts yet</h2>
          <p className="small">
            This platform runs in production mode and has no operator accounts. On the server, create the first administrator with <code>npm run -s accounts -- create admin --role ADMIN</code>; it
            prints a generated password once. The administrator then creates the other accounts on the <em>Accounts</em> page.
          </p>
        </div>
      )}
      {demoAccounts.length > 0 && demoPassword && (
        <div className="card" data-testid="demo-accounts">
          <h2>Demo accounts</h2>
          <p className="small muted">
            This platform runs in demo mode: these accounts exist only here, and every one has the password <code>{demoPassword}</code>. Click a name to fill the form.
          </p>
          <table className="data account-list">
            <TableHead columns={["User name", "Operator", "Role"]} />
            <tbody>
              {demoAccounts.map((a) => (
                <tr key={a.username}>
                  <td>
                    <button
                      type="button"
                      onClick={() => {
                        setUsername(a.username);
                        setPassword(demoPassword);
                      }}
                    >
                      {a.username}
                    </button>
                  </td>
                  <td>{a.displayName}</td>
                  <td>
                    <span className={`badge badge-${a.role}`}>{ROLE_SHORT[a.role] ?? a.role}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
