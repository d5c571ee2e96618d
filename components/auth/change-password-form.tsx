"use client";

import { useState, type FormEvent } from "react";
import { useHydrated } from "../forms/use-hydrated";
import { changeOwnPassword } from "@/lib/client/accounts-api";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "@/lib/limits/password";

/** Every operator changes its own password here; the server ends its other sessions. */
export function ChangePasswordForm({ username }: { username: string }) {
  const hydrated = useHydrated();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const problem = next !== repeat ? "the new password and its repetition differ" : passwordProblem(next, username);
    if (problem) {
      setMessage({ ok: false, text: problem });
      return;
    }
    setBusy(true);
    try {
      await changeOwnPassword(current, next);
      setCurrent("");
      setNext("");
      setRepeat("");
      setMessage({ ok: true, text: "Password changed. Your other sessions have been signed out." });
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Change password" data-testid="change-password">
      <h2>Change your password</h2>
      <p className="small muted">At least {MIN_PASSWORD_LENGTH} characters, not containing your user name.</p>
      <div className="field">
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input id="new-password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="repeat-password">New password again</label>
        <input id="repeat-password" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
      </div>
      <div className="field">
        <button type="submit" className="btn btn-primary" disabled={busy || !hydrated}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </div>
      {message && (
        <div className={`alert ${message.ok ? "alert-ok" : "alert-error"}`} role={message.ok ? "status" : "alert"} data-testid="change-password-message">
          {message.text}
        </div>
      )}
    </form>
  );
}
