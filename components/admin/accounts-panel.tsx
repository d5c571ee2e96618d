"use client";

import { useState, type FormEvent } from "react";
import { useHydrated } from "../forms/use-hydrated";
import { RoleBadge } from "@/components/auth/role-badge";
import { formatDateTime } from "@/components/dso/format";
import { createAccount, fetchAccounts, resetAccountPassword } from "@/lib/client/accounts-api";
import type { AccountSummary } from "@/lib/wire/accounts";
import { ROLE_LABEL, ROLES, type Role } from "@/lib/wire/roles";
import { Card } from "@/components/ui/card";
import { TableHead } from "@/components/ui/table-head";

/** A generated password, shown once with whose it is. */
type Issued = { username: string; password: string } | null;

/**
 * The administrator's accounts page: every account with its role and active
 * sessions, a form to create one, and a password reset per account. Generated
 * passwords are shown once; the server keeps only their hashes.
 */
export function AccountsPanel({ initial, selfId }: { initial: AccountSummary[]; selfId: string }) {
  const [accounts, setAccounts] = useState(initial);
  const [issued, setIssued] = useState<Issued>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<AccountForm>({ username: "", displayName: "", role: "AGGREGATOR" });
  const [busy, setBusy] = useState(false);

  async function refresh() {
    setAccounts(await fetchAccounts());
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setIssued(null);
    try {
      const { account, password } = await createAccount(form);
      setIssued(password ? { username: account.username, password } : null);
      setForm({ username: "", displayName: "", role: form.role });
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function reset(a: AccountSummary) {
    setError(null);
    setIssued(null);
    try {
      const { username, password } = await resetAccountPassword(a.id);
      if (password) setIssued({ username, password });
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <>
      <CreateAccountForm form={form} setForm={setForm} busy={busy} onSubmit={create} />
      {issued && (
        <div className="alert alert-ok" role="status" data-testid="issued-password">
          Password of <strong>{issued.username}</strong>, shown only now: <code data-testid="issued-password-value">{issued.password}</code> — hand it over privately; the operator changes it on its
          account page.
        </div>
      )}
      {error && (
        <div className="alert alert-error" role="alert" data-testid="accounts-error">
          {error}
        </div>
      )}
      <AccountsTable accounts={accounts} selfId={selfId} onReset={reset} />
    </>
  );
}

type AccountForm = { username: string; displayName: string; role: Role };

/** A new account: user name, operator and role; the server generates its password. */
function CreateAccountForm({ form, setForm, busy, onSubmit }: { form: AccountForm; setForm: (f: AccountForm) => void; busy: boolean; onSubmit: (e: FormEvent) => void }) {
  const hydrated = useHydrated();
  return (
    <form className="card" onSubmit={onSubmit} aria-label="Create an account" data-testid="create-account">
      <h2>Create an account</h2>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="new-username">User name</label>
          <input id="new-username" type="text" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        </div>
        <div className="field">
          <label htmlFor="new-display-name">Operator</label>
          <input id="new-display-name" type="text" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} required />
        </div>
      </div>
      <div className="field">
        <label htmlFor="new-role">Role</label>
        <select id="new-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <button type="submit" className="btn btn-primary" disabled={busy || !hydrated}>
          Create with a generated password
        </button>
      </div>
    </form>
  );
}

/** Every account with its role, dates and active sessions; a password reset for each but one's own. */
function AccountsTable({ accounts, selfId, onReset }: { accounts: AccountSummary[]; selfId: string; onReset: (a: AccountSummary) => void }) {
  return (
    <Card title="Accounts" note={accounts.length} testId="accounts">
      <table className="data">
        <TableHead columns={["User name", "Operator", "Role", "Created", "Password set", { num: "Active sessions" }, ""]} />
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-testid="account-row" data-username={a.username}>
              <td>{a.username}</td>
              <td>{a.displayName}</td>
              <td>
                <RoleBadge role={a.role} />
              </td>
              <td>{formatDateTime(a.createdAt)}</td>
              <td>{a.passwordChangedAt ? formatDateTime(a.passwordChangedAt) : "—"}</td>
              <td className="num">{a.activeSessions}</td>
              <td>
                {a.id !== selfId && (
                  <button type="button" className="btn btn-small" onClick={() => onReset(a)}>
                    Reset password
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
