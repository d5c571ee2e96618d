"use client";

import { useRef, useState, type FormEvent } from "react";
import { uploadGrid } from "@/lib/client/api";
import { MAX_UPLOAD_BYTES, tooLargeMessage } from "@/lib/server/upload-limits";
import { useDsoStore } from "./dso-store-context";

export function GridUploadForm() {
  const addGrid = useDsoStore((s) => s.addGrid);
  const select = useDsoStore((s) => s.select);
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
    if (!file) {
      setError("choose a grid file first");
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) {
      setError(`${file.name}: ${tooLargeMessage(file.size)}`);
      return;
    }
    setBusy(true);
    try {
      const grid = await uploadGrid(file, name);
      addGrid(grid);
      select(grid.id);
      setDone(`${grid.name}: ${grid.busCount} buses, ${grid.branchCount} branches imported`);
      setName("");
      if (fileInput.current) fileInput.current.value = "";
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Upload a grid">
      <div className="card-title">
        <h2>Upload a grid</h2>
      </div>
      <div className="field">
        <label htmlFor="grid-file">Grid file</label>
        <input id="grid-file" ref={fileInput} type="file" accept=".m,.json" data-testid="grid-file" onChange={() => (setError(null), setDone(null))} />
        <div className="hint">MATPOWER case (.m) or project network (.json), up to 20 MB. Checked by the importer before it is stored.</div>
      </div>
      <div className="field">
        <label htmlFor="grid-name">Name (optional)</label>
        <input id="grid-name" type="text" value={name} maxLength={120} placeholder="from the file" onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Checking…" : "Upload and validate"}
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="upload-error">
          <strong>Rejected.</strong> {error}
        </div>
      )}
      {done && (
        <div className="alert alert-ok" role="status" data-testid="upload-ok">
          {done}
        </div>
      )}
    </form>
  );
}
