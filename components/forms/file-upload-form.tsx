"use client";

import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { useHydrated } from "./use-hydrated";

export interface FileUploadFormProps {
  /** Card heading, also the form's accessible name. */
  title: string;
  /** Prefix of the element ids and test ids: `<id>-file`, `<id>-name`; test ids below. */
  id: string;
  fileLabel: string;
  accept: string;
  hint: ReactNode;
  /** Shown next to the heading (e.g. a template download). */
  headerExtra?: ReactNode;
  testIds: { file: string; error: string; ok: string };
  /** The message when no file is chosen. */
  noFileMessage: string;
  namePlaceholder: string;
  /** A check in the browser before sending (type, size): the message, or null to send. */
  precheck?: (file: File) => string | null;
  /** Sends the file; resolves to the success message, rejects with the server's message. */
  upload: (file: File, name: string) => Promise<string>;
}

/**
 * One file and an optional name, checked by the server before anything is stored: the
 * shared shape of the grid and portfolio uploads, with the server's message on refusal.
 */
export function FileUploadForm(p: FileUploadFormProps) {
  const hydrated = useHydrated();
  const fileInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const file = fileInput.current?.files?.[0];
    if (!file) return setError(p.noFileMessage);
    const refused = p.precheck?.(file);
    if (refused) return setError(refused);
    setBusy(true);
    try {
      setDone(await p.upload(file, name));
      setName("");
      if (fileInput.current) fileInput.current.value = "";
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label={p.title}>
      <div className="card-title">
        <h2>{p.title}</h2>
        {p.headerExtra}
      </div>
      <div className="field">
        <label htmlFor={`${p.id}-file`}>{p.fileLabel}</label>
        <input
          id={`${p.id}-file`}
          ref={fileInput}
          type="file"
          accept={p.accept}
          data-testid={p.testIds.file}
          onChange={() => {
            setError(null);
            setDone(null);
          }}
        />
        <div className="hint">{p.hint}</div>
      </div>
      <div className="field">
        <label htmlFor={`${p.id}-name`}>Name (optional)</label>
        <input id={`${p.id}-name`} type="text" value={name} maxLength={120} placeholder={p.namePlaceholder} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <button type="submit" className="btn btn-primary" disabled={busy || !hydrated}>
          {busy ? "Checking…" : "Upload and validate"}
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert" data-testid={p.testIds.error}>
          <strong>Rejected.</strong> {error}
        </div>
      )}
      {done && (
        <div className="alert alert-ok" role="status" data-testid={p.testIds.ok}>
          {done}
        </div>
      )}
    </form>
  );
}
