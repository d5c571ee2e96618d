"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { loadPlotly } from "@/components/dso/plotly-chart";
import { fetchTsoMarket } from "@/lib/client/tso-api";
import { BidsPanel } from "./bids-panel";
import { CoordinationPanel } from "./coordination-panel";
import { DemoMaps } from "./demo-maps";
import { PublishedModels } from "./published-models";
import { PublishedRegions } from "./published-regions";
import { TsoRunHistory } from "./run-history";
import { useTsoClearing } from "./use-tso-clearing";
import { BalancingRequestCard } from "./balancing-request";
import { ClearingCards } from "./clearing-cards";
import { Card } from "@/components/ui/card";
import type { PublishedModelSummary, RunListItem, TsoMarket } from "@/lib/wire/tso";

/**
 * The TSO's view (provisioning paper eq. 11-14, Table I, Fig. 3-5): the published
 * light models and the bids, a balancing request cleared in the solver worker, the
 * DSO-side validation, and — where a DSO enabled it — the demonstrator map.
 */
export function TsoWorkspace({ models, runs: initialRuns }: { models: PublishedModelSummary[]; runs: RunListItem[] }) {
  const gridNames = useMemo(() => new Map(models.map((m) => [m.gridId, m.gridName])), [models]);
  const [market, setMarket] = useState<TsoMarket | null>(null);
  const [marketError, setMarketError] = useState<string | null>(null);
  const [runs, setRuns] = useState(initialRuns);
  const onSaved = useCallback((r: RunListItem) => setRuns((list) => [r, ...list.filter((x) => x.id !== r.id)].slice(0, 15)), []);
  const { job, run, cancel } = useTsoClearing(gridNames, onSaved);

  useEffect(() => {
    const abort = new AbortController();
    fetchTsoMarket(abort.signal)
      .then(setMarket)
      .catch((e: Error) => !abort.signal.aborted && setMarketError(e.message));
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200));
    idle(() => void loadPlotly());
    return () => abort.abort();
  }, []);

  const done = job.phase === "done" ? job : null;
  const validations = done?.outcome.validations ?? null;

  return (
    <div className="stack">
      <Card title="Published light models" note="all the TSO knows of the distribution grids">
        <PublishedModels models={models} />
      </Card>

      <Card title="Published flexibility regions" note="each DSO's feasible exchange at its PCC, as coefficients only" testId="tso-regions-card">
        <PublishedRegions />
      </Card>

      <CoordinationPanel />

      <Card title="Bids" note="after the bid congestion manager: per asset, at opaque locations">
        {marketError && (
          <div className="alert alert-error" role="alert">
            The bids could not be loaded: {marketError}
          </div>
        )}
        {market ? <BidsPanel market={market} gridNames={gridNames} /> : !marketError && <p className="muted">Loading the bids…</p>}
      </Card>

      <BalancingRequestCard market={market} job={job} run={(o) => void run(o)} cancel={cancel} />

      {done && <ClearingCards done={done} gridNames={gridNames} />}

      <Card title="Grid map" note="only grids whose DSO enabled the demonstrator; the others show the PCC" testId="tso-map-card">
        <DemoMaps models={models} runId={done?.run?.id ?? null} validations={validations} />
      </Card>

      <div className="card">
        <h2>Recent clearings</h2>
        <TsoRunHistory runs={runs} />
      </div>
    </div>
  );
}
