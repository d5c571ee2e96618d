"use client";

import { useRef, useState, type FormEvent } from "react";
import type { PortfolioSummary } from "@/lib/server/market";
import { MAX_PORTFOLIO_BYTES, PORTFOLIO_FILE_PATTERN, portfolioTooLargeMessage } from "@/lib/server/portfolio-limits";
import { TEMPLATE_URL, uploadPortfolio } from "./api";

/** Upload of aggregated bids (CSV or JSON); the server's parser and the BCM's placement check them before anything is stored. */
export function PortfolioUploadForm({ onUploaded }: { onUploaded: (p: PortfolioSummary) => void }) {
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
    if (!file) return setError("choose a portfolio file first");
    if (!PORTFOLIO_FILE_PATTERN.test(file.name)) return setError(`${file.name}: unsupported file type; upload aggregated bids as .csv or .json`);
    if (file.size > MAX_PORTFOLIO_BYTES) return setError(`${file.name}: ${portfolioTooLargeMessage(file.size)}`);
    setBusy(true);
    try {
      const p = await uploadPortfolio(file, name);
      setDone(`${p.name}: ${p.bidCount} aggregated bid${p.bidCount === 1 ? "" : "s"} accepted`);
      setName("");
      if (fileInput.current) fileInput.current.value = "";
      onUploaded(p);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Upload a portfolio">
      <div className="card-title">
        <h2>Upload a portfolio</h2>
        <a className="btn btn-small" href={TEMPLATE_URL} download data-testid="portfolio-template">
          Download an example
        </a>
      </div>
      <div className="field">
        <label htmlFor="portfolio-file">Aggregated bids</label>
        <input id="portfolio-file" ref={fileInput} type="file" accept=".csv,.json" data-testid="portfolio-file" onChange={() => (setError(null), setDone(null))} />
        <div className="hint">
          CSV (one row per asset) or JSON, up to 5 MB. Every asset must sit in a grid whose DSO published a light model; checked before it is stored.
        </div>
      </div>
      <div className="field">
        <label htmlFor="portfolio-name">Name (optional)</label>
        <input id="portfolio-name" type="text" value={name} maxLength={120} placeholder="from the file name" onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Checking…" : "Upload and validate"}
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="portfolio-upload-error">
          <strong>Rejected.</strong> {error}
        </div>
      )}
      {done && (
        <div className="alert alert-ok" role="status" data-testid="portfolio-upload-ok">
          {done}
        </div>
      )}
    </form>
  );
}
