"use client";

import { useEffect, useMemo, useState } from "react";
import { GridDrawing } from "@/components/diagram/grid-drawing";
import { fetchDemoMap, type DemoMapResponse } from "./api";
import { assetMarkerLayer, MARKER_COLOR } from "./asset-layer";
import styles from "./bcm.module.css";
import { assetMarkers, gridMapDataOfDemo, type MarkerActivation, type MarkerState } from "@/lib/map/bcm-demo-map";
import type { DisaggregatedBidView, GridRef } from "@/lib/wire/bcm";

const LEGEND: [MarkerState, string][] = [
  ["offered", "your assets (offered)"],
  ["full", "fully activated"],
  ["partial", "partly activated"],
  ["none", "not activated"],
];

type Loaded = { phase: "loading" } | { phase: "failed"; message: string } | { phase: "ready"; data: DemoMapResponse };

interface Props {
  grids: GridRef[];
  bids: DisaggregatedBidView[];
  /** The shown run's results of these bids, to colour the markers (null: offered only). */
  run: MarkerActivation | null;
}

/**
 * The portfolio's assets on the map of each grid whose DSO enabled demo mode; other
 * grids are named with the reason they are not drawn.
 */
export function DemoMapPanel({ grids, bids, run }: Props) {
  const demo = grids.filter((g) => g.demoMode);
  const hidden = grids.filter((g) => !g.demoMode);
  const [gridId, setGridId] = useState<string | null>(demo[0]?.id ?? null);
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  const current = demo.find((g) => g.id === gridId) ?? demo[0] ?? null;
  const state = current ? loaded[current.id] : undefined;

  useEffect(() => {
    if (!current || loaded[current.id]) return;
    const id = current.id;
    setLoaded((l) => ({ ...l, [id]: { phase: "loading" } }));
    fetchDemoMap(id)
      .then((data) => setLoaded((l) => ({ ...l, [id]: { phase: "ready", data } })))
      .catch((e: Error) => setLoaded((l) => ({ ...l, [id]: { phase: "failed", message: e.message } })));
  }, [current, loaded]);

  const ready = state?.phase === "ready" ? state.data : null;
  const data = useMemo(() => (ready ? gridMapDataOfDemo(ready.map) : null), [ready]);
  const markers = useMemo(() => (ready && current ? assetMarkers(current.id, bids, ready.assets, run) : []), [ready, current, bids, run]);
  const overlay = useMemo(() => [assetMarkerLayer(markers)], [markers]);

  return (
    <div className="card" data-testid="bcm-map-panel">
      <div className="card-title">
        <h2>Your assets on the grid map</h2>
        {markers.length > 0 && (
          <span className="muted small" data-testid="bcm-map-markers" data-count={markers.length}>
            {markers.length} connection points of this portfolio in {current?.name}
          </span>
        )}
      </div>
      {demo.length === 0 && <p className="muted">None of this portfolio&apos;s grids is in demo mode, so no grid is drawn; the table lists every asset.</p>}
      {demo.length > 1 && (
        <div className={styles.tabs}>
          {demo.map((g) => (
            <button key={g.id} type="button" className={`btn btn-small${g.id === current?.id ? " btn-primary" : ""}`} onClick={() => setGridId(g.id)}>
              {g.name}
            </button>
          ))}
        </div>
      )}
      {current && (
        <>
          <div className={styles.demoBanner} data-testid="bcm-demo-banner">
            <strong>Demo mode</strong> {current.name}: its DSO lets the platform draw the grid for demonstrations. The map carries no ratings, loads or impedances, and only your own assets are marked.
          </div>
          {state?.phase === "failed" && (
            <div className="alert alert-error" role="alert">
              The map could not be loaded: {state.message}
            </div>
          )}
          {(!state || state.phase === "loading") && <p className="muted">Loading the map…</p>}
          {data && <GridDrawing data={data} overlayLayers={overlay} height={480} ariaLabel={`Demo-mode map of ${current.name}`} testId="bcm-grid-map" />}
          <div className={styles.markerLegend}>
            {LEGEND.filter(([s]) => (run ? s !== "offered" : s === "offered")).map(([s, label]) => (
              <span key={s}>
                <span className={styles.dot} style={{ background: `rgba(${MARKER_COLOR[s].slice(0, 3).join(",")},1)` }} />
                {label}
              </span>
            ))}
            <span>marker size: offered MW at the connection point{run ? ` (${run.direction}ward bids, the run's direction)` : ""}</span>
          </div>
        </>
      )}
      {hidden.length > 0 && (
        <p className="muted small" style={{ marginTop: "0.6rem" }}>
          Not drawn ({hidden.map((g) => g.name).join(", ")}): the DSO has not enabled demo mode; your assets there are in the table.
        </p>
      )}
    </div>
  );
}
