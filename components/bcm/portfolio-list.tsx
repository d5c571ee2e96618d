"use client";

import { useState } from "react";
import { formatDateTime } from "@/components/dso/format";
import { deletePortfolio } from "./api";
import styles from "./bcm.module.css";
import type { PortfolioSummary } from "@/lib/wire/bcm";

interface Props {
  portfolios: PortfolioSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onDeleted: (id: string) => void;
}

/** The aggregator's own portfolios; deleting asks once more in place. */
export function PortfolioList({ portfolios, selectedId, onSelect, onDeleted }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(id: string) {
    setError(null);
    try {
      await deletePortfolio(id);
      setConfirming(null);
      onDeleted(id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="card" data-testid="portfolio-list">
      <div className="card-title">
        <h2>Your portfolios</h2>
        <span className="muted small">{portfolios.length}</span>
      </div>
      {portfolios.length === 0 && <p className="muted">No portfolios yet: upload one, or download the example and upload it.</p>}
      <ul className={styles.portfolioList}>
        {portfolios.map((p) => (
          <li key={p.id} className={styles.portfolioItem}>
            <button type="button" className={styles.portfolioButton} aria-current={p.id === selectedId} onClick={() => onSelect(p.id)} data-testid="portfolio-item">
              <span className={styles.name}>{p.name}</span>
              <span className={styles.meta}>
                {p.bidCount} aggregated bid{p.bidCount === 1 ? "" : "s"} · {p.fileName ?? "seeded demo data"} · {formatDateTime(p.createdAt)}
              </span>
            </button>
            {confirming === p.id ? (
              <button type="button" className="btn btn-small btn-danger" onClick={() => remove(p.id)}>
                Confirm delete
              </button>
            ) : (
              <button type="button" className="btn btn-small" aria-label={`Delete ${p.name}`} onClick={() => setConfirming(p.id)}>
                Delete
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
