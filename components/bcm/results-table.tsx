"use client";

import { useMemo, useState } from "react";
import { formatMw } from "@/components/dso/format";
import type { AggregatedResult } from "@/lib/market";
import styles from "./bcm.module.css";
import { ExpandableTable, SubTableRow } from "./expandable";
import { activationState, resultRows, type ActivationState, type ResultFilter } from "./results-view";

function StateBadge({ state }: { state: ActivationState }) {
  return <span className={`${styles.state} ${styles[state]}`}>{state}</span>;
}

/** The caller's re-aggregated results: per aggregated bid offered, activated, fraction, cost; per asset on expanding. */
export function ResultsTable({ results }: { results: AggregatedResult[] }) {
  const [filter, setFilter] = useState<ResultFilter>("activated");
  const rows = useMemo(() => resultRows(results, filter), [results, filter]);

  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: a row of radios styled as tabs (flex); role="group" gives a fieldset's semantics without its border, padding and legend layout */}
      <div className={styles.tabs} role="group" aria-label="Which bids">
        <label className="small">
          <input type="radio" name="result-filter" checked={filter === "activated"} onChange={() => setFilter("activated")} /> activated bids only
        </label>
        <label className="small">
          <input type="radio" name="result-filter" checked={filter === "all"} onChange={() => setFilter("all")} data-testid="results-show-all" /> all {results.length} of your bids
        </label>
      </div>
      {rows.length === 0 ? (
        <p className="muted" data-testid="results-empty">
          None of your bids was activated in this run.
        </p>
      ) : (
        <ExpandableTable
          items={rows}
          keyOf={({ result }) => result.bidId}
          testId="results-table"
          columns={["Bid", "Direction", { num: "€/MWh" }, { num: "Offered MW" }, { num: "Activated MW" }, { num: "Fraction" }, { num: "Cost €" }, "State"]}
          row={({ result: r, state, activatedAssets }, expander) => (
            <tr data-testid="result-row" data-bid-id={r.bidId}>
              <td>{expander}</td>
              <td className={r.direction === "up" ? styles.up : styles.down}>{r.direction}</td>
              <td className="num">{r.priceEurPerMwh.toFixed(2)}</td>
              <td className="num">{formatMw(r.offeredMw, 4)}</td>
              <td className="num" data-testid="result-activated">
                {formatMw(r.activatedMw, 4)}
              </td>
              <td className="num">{(r.fraction * 100).toFixed(1)} %</td>
              <td className="num">{r.costEur.toFixed(2)}</td>
              <td>
                <StateBadge state={state} />{" "}
                <span className="muted small">
                  {activatedAssets}/{r.assets.length} assets
                </span>
              </td>
            </tr>
          )}
          sub={({ result: r }) => (
            <SubTableRow colSpan={8} testId="result-assets" columns={["Asset", "Grid", "Connection", { num: "Offered MW" }, { num: "Activated MW" }, "State"]}>
              {r.assets.map((a) => (
                <tr key={`${a.grid}/${a.assetId}`}>
                  <td className="mono">{a.assetId}</td>
                  <td>{a.grid}</td>
                  <td className="mono">{a.location}</td>
                  <td className="num">{formatMw(a.offeredMw, 5)}</td>
                  <td className="num">{formatMw(a.activatedMw, 5)}</td>
                  <td>
                    <StateBadge state={activationState(a.offeredMw, a.activatedMw)} />
                  </td>
                </tr>
              ))}
            </SubTableRow>
          )}
        />
      )}
    </>
  );
}
