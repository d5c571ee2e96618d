"use client";

import { formatMw } from "@/components/dso/format";
import styles from "./bcm.module.css";
import { ExpandableTable, SubTableRow } from "./expandable";
import type { GridRef, PortfolioDisaggregation } from "@/lib/wire/bcm";

/** A portfolio's aggregated bids and, per bid, the per-asset bids the BCM splits it into. */
export function DisaggregationTable({ dis, portfolioName }: { dis: PortfolioDisaggregation; portfolioName: string }) {
  const gridName = new Map(dis.grids.map((g: GridRef) => [g.id, g.name]));
  const assets = dis.bids.reduce((s, b) => s + b.assets.length, 0);

  return (
    <div className="card" data-testid="disaggregation">
      <div className="card-title">
        <h2>{portfolioName}: bids and their split per asset</h2>
        {dis.placeable && (
          <span className="muted small">
            {dis.bids.length} aggregated bid{dis.bids.length === 1 ? "" : "s"} → {assets} per-asset bid{assets === 1 ? "" : "s"} in {dis.grids.map((g) => g.name).join(", ")}
          </span>
        )}
      </div>
      {!dis.placeable ? (
        <div className="alert alert-warn" role="alert" data-testid="disaggregation-problem">
          The bid congestion manager cannot place this portfolio against the light models published now, so it takes no part in clearings: {dis.problem}
        </div>
      ) : (
        <ExpandableTable
          items={dis.bids}
          keyOf={(b) => b.bidId}
          columns={["Bid", "Direction", { num: "Total MW" }, { num: "€/MWh" }, "Minimum", { num: "Assets" }]}
          row={(b, expander) => (
            <tr data-testid="aggregated-bid-row" data-bid-id={b.bidId}>
              <td>{expander}</td>
              <td className={b.direction === "up" ? styles.up : styles.down}>{b.direction}</td>
              <td className="num">{formatMw(b.volumeMw, 4)}</td>
              <td className="num">{b.priceEurPerMwh.toFixed(2)}</td>
              <td>
                {b.indivisible ? "indivisible" : b.minActivationMw ? `${formatMw(b.minActivationMw, 4)} MW` : "—"}
                {b.group && <span className="muted small"> (joint over its assets)</span>}
              </td>
              <td className="num">{b.assets.length}</td>
            </tr>
          )}
          sub={(b) => (
            <SubTableRow colSpan={6} testId="asset-bids" columns={["Asset", "Grid", "Connection", "Opaque location (what the TSO sees)", { num: "MW" }, { num: "€/MWh" }, "Per-asset bid"]}>
              {b.assets.map((a) => (
                <tr key={a.assetBidId}>
                  <td className="mono">{a.assetId}</td>
                  <td>{gridName.get(a.gridId) ?? a.gridId}</td>
                  <td className="mono">{a.connection}</td>
                  <td className="mono">{a.opaqueLocation}</td>
                  <td className="num">{formatMw(a.volumeMw, 4)}</td>
                  <td className="num">{a.priceEurPerMwh.toFixed(2)}</td>
                  <td className="mono">{a.assetBidId}</td>
                </tr>
              ))}
            </SubTableRow>
          )}
        />
      )}
    </div>
  );
}
