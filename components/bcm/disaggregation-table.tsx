"use client";

import { Fragment } from "react";
import { formatMw } from "@/components/dso/format";
import styles from "./bcm.module.css";
import { ExpandButton, SubTableRow, useExpanded } from "./expandable";
import type { GridRef, PortfolioDisaggregation } from "@/lib/wire/bcm";
import { TableHead } from "@/components/ui/table-head";

/** A portfolio's aggregated bids and, per bid, the per-asset bids the BCM splits it into. */
export function DisaggregationTable({ dis, portfolioName }: { dis: PortfolioDisaggregation; portfolioName: string }) {
  const { isOpen, toggle } = useExpanded();
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
        <div className={`table-wrap ${styles.scroll}`}>
          <table className="data">
            <TableHead columns={["Bid", "Direction", { num: "Total MW" }, { num: "€/MWh" }, "Minimum", { num: "Assets" }]} />
            <tbody>
              {dis.bids.map((b) => (
                <Fragment key={b.bidId}>
                  <tr data-testid="aggregated-bid-row" data-bid-id={b.bidId}>
                    <td>
                      <ExpandButton id={b.bidId} open={isOpen(b.bidId)} onToggle={() => toggle(b.bidId)} />
                    </td>
                    <td className={b.direction === "up" ? styles.up : styles.down}>{b.direction}</td>
                    <td className="num">{formatMw(b.volumeMw, 4)}</td>
                    <td className="num">{b.priceEurPerMwh.toFixed(2)}</td>
                    <td>
                      {b.indivisible ? "indivisible" : b.minActivationMw ? `${formatMw(b.minActivationMw, 4)} MW` : "—"}
                      {b.group && <span className="muted small"> (joint over its assets)</span>}
                    </td>
                    <td className="num">{b.assets.length}</td>
                  </tr>
                  {isOpen(b.bidId) && (
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
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
