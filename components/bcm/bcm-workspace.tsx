"use client";

import { useEffect, useMemo, useState } from "react";
import { fetchDisaggregation, fetchRuns } from "./api";
import styles from "./bcm.module.css";
import { DemoMapPanel } from "./demo-map-panel";
import { DisaggregationTable } from "./disaggregation-table";
import { PortfolioList } from "./portfolio-list";
import { PortfolioUploadForm } from "./portfolio-upload-form";
import { RunPanel } from "./run-panel";
import type { BcmRunDetail, BcmRunSummary, PortfolioSummary, PortfolioDisaggregation } from "@/lib/wire/bcm";

type Split = { phase: "loading" } | { phase: "failed"; message: string } | { phase: "ready"; dis: PortfolioDisaggregation };

interface Props {
  initialPortfolios: PortfolioSummary[];
  initialRuns: BcmRunSummary[];
}

/** The aggregator's bid congestion manager: upload, own portfolios and their split, the run and own results. */
export function BcmWorkspace({ initialPortfolios, initialRuns }: Props) {
  const [portfolios, setPortfolios] = useState(initialPortfolios);
  const [selectedId, setSelectedId] = useState<string | null>(initialPortfolios.at(-1)?.id ?? null);
  const [split, setSplit] = useState<Split | null>(null);
  const [run, setRun] = useState<BcmRunDetail | null>(null);
  const [runs, setRuns] = useState(initialRuns);
  const selected = portfolios.find((p) => p.id === selectedId) ?? null;

  useEffect(() => {
    if (!selectedId) return setSplit(null);
    const abort = new AbortController();
    setSplit({ phase: "loading" });
    fetchDisaggregation(selectedId, abort.signal)
      .then((dis) => setSplit({ phase: "ready", dis }))
      .catch((e: Error) => !abort.signal.aborted && setSplit({ phase: "failed", message: e.message }));
    return () => abort.abort();
  }, [selectedId]);

  function onRun(r: BcmRunDetail) {
    setRun(r);
    fetchRuns()
      .then(setRuns)
      .catch(() => setRuns((rs) => (rs.some((x) => x.id === r.id) ? rs : [r, ...rs])));
  }

  const dis = split?.phase === "ready" ? split.dis : null;
  // The shown run's results of this portfolio's bids (none when the portfolio came after the run).
  const mapResults = useMemo(() => {
    if (!run || !dis?.placeable) return null;
    const ids = new Set(dis.bids.map((b) => b.bidId));
    const mine = run.results.filter((r) => ids.has(r.bidId));
    return mine.length ? { results: mine, direction: run.requestMw > 0 ? ("up" as const) : ("down" as const) } : null;
  }, [run, dis]);
  return (
    <div className="stack">
      <div className={styles.layout}>
        <div className={styles.column}>
          <PortfolioUploadForm
            onUploaded={(p) => {
              setPortfolios((ps) => [...ps, p]);
              setSelectedId(p.id);
            }}
          />
          <PortfolioList
            portfolios={portfolios}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onDeleted={(id) => {
              const rest = portfolios.filter((p) => p.id !== id);
              setPortfolios(rest);
              if (id === selectedId) setSelectedId(rest.at(-1)?.id ?? null);
            }}
          />
        </div>
        <div className={styles.column}>
          <RunPanel run={run} runs={runs} onRun={onRun} />
        </div>
      </div>
      {selected && split?.phase === "loading" && <p className="muted">Splitting {selected.name} by asset location…</p>}
      {selected && split?.phase === "failed" && (
        <div className="alert alert-error" role="alert">
          {selected.name}: {split.message}
        </div>
      )}
      {selected && dis && <DisaggregationTable dis={dis} portfolioName={selected.name} />}
      {selected && dis?.placeable && <DemoMapPanel key={selected.id} grids={dis.grids} bids={dis.bids} run={mapResults} />}
    </div>
  );
}
