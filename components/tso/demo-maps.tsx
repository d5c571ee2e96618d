"use client";

import { useEffect, useMemo, useState } from "react";
import { GridDrawing, GridDrawingLegend } from "@/components/diagram/grid-drawing";
import type { GridMapData } from "@/lib/map/map-data";
import type { GridMapState } from "@/components/map/state";
import { fetchDemoMap } from "@/lib/client/tso-api";
import { DEMO_LABEL, demoFlowArrays, type DemoFlowJson, type DemoMapResponse } from "@/lib/map/demo-map";
import styles from "./tso.module.css";
import type { PublishedModelSummary, TsoValidation } from "@/lib/wire/tso";

function FlowLine({ f, what }: { f: DemoFlowJson; what: string }) {
  return (
    <span className="small">
      {what}: {f.activatedMw.toFixed(3)} MW ·{" "}
      <span className={f.congested ? styles.alarm : styles.fine} data-testid="demo-congested">
        {f.congested} congested branch{f.congested === 1 ? "" : "es"}
      </span>{" "}
      · max loading {f.maxLoadingPct === null ? "—" : `${f.maxLoadingPct.toFixed(1)} %`} · V {f.vmMin.toFixed(3)}–{f.vmMax.toFixed(3)} p.u.
    </span>
  );
}

function mapState(f: DemoFlowJson): GridMapState & { flowMw: Float64Array } {
  const { loadingPct, vm, pFromMw } = demoFlowArrays(f);
  return { loadingPct, vm, selectedId: null, flowMw: pFromMw };
}

/** Before / after maps of one grid whose DSO enabled the demonstrator: all bids activated against the cleared dispatch. */
function DemoGridMaps({ model, runId }: { model: PublishedModelSummary; runId: string | null }) {
  const [res, setRes] = useState<DemoMapResponse | null>(null);
  const [map, setMap] = useState<{ gridId: string; data: GridMapData } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    fetchDemoMap(model.gridId, runId, abort.signal)
      .then((r) => {
        setRes(r);
        // Keep the map (and its WebGL canvases) when only the results change.
        setMap((m) => (m?.gridId === r.gridId ? m : { gridId: r.gridId, data: r.map }));
      })
      .catch((e: Error) => {
        if (!abort.signal.aborted) setError(e.message);
      });
    return () => abort.abort();
  }, [model.gridId, runId]);

  const before = useMemo(() => (res ? mapState(res.before) : null), [res]);
  const after = useMemo(() => (res?.after ? mapState(res.after) : null), [res]);

  if (error) {
    return (
      <div className="alert alert-error" role="alert">
        The demonstrator map of {model.gridName} could not be loaded: {error}
      </div>
    );
  }
  if (!res || !map || !before) return <p className="muted">Loading the demonstrator map of {model.gridName}…</p>;
  return (
    <div data-testid={`demo-${model.gridId}`}>
      <div className={styles.demoLabel} data-testid="demo-label">
        {DEMO_LABEL}
      </div>
      <div className={styles.maps}>
        <div>
          <div className={styles.mapTitle}>
            <strong>Before: all {res.before.activatedMw < 0 ? "downward" : "upward"} bids activated</strong>
          </div>
          <FlowLine f={res.before} what="activated" />
          <GridDrawing data={map.data} state={before} flowMw={before.flowMw} height={520} ariaLabel={`${model.gridName} with all bids activated`} testId="demo-map-before" />
        </div>
        <div>
          <div className={styles.mapTitle}>
            <strong>After: the cleared dispatch</strong>
          </div>
          {res.after && after ? (
            <>
              <FlowLine f={res.after} what="dispatched" />
              <GridDrawing data={map.data} state={after} flowMw={after.flowMw} height={520} ariaLabel={`${model.gridName} with the cleared dispatch`} testId="demo-map-after" />
            </>
          ) : (
            <div className="plot-placeholder" style={{ height: 520 }}>
              Run the clearing to see its dispatch on the grid.
            </div>
          )}
        </div>
      </div>
      <GridDrawingLegend data={map.data} />
    </div>
  );
}

/** Without demo mode: what the TSO may know of the grid — the exchange at the PCC and the verdict. */
function PccOnly({ model, validation }: { model: PublishedModelSummary; validation: TsoValidation | null }) {
  return (
    <div className={styles.pcc} data-testid={`pcc-${model.gridId}`}>
      <strong>{model.gridName}</strong>: the DSO has not enabled the demonstrator, so the TSO sees only the point of common coupling.
      {validation ? (
        <div className="small" style={{ marginTop: "0.3rem" }}>
          PCC import {validation.pcc.basePMw.toFixed(3)} MW → {validation.pcc.pMw.toFixed(3)} MW with the dispatch ({validation.pcc.baseQMvar.toFixed(3)} → {validation.pcc.qMvar.toFixed(3)} MVAr) ·
          verdict: <strong>{validation.verdict}</strong>
        </div>
      ) : (
        <div className="muted small">Run the clearing for the PCC exchange and the verdict.</div>
      )}
    </div>
  );
}

export function DemoMaps({ models, runId, validations }: { models: PublishedModelSummary[]; runId: string | null; validations: TsoValidation[] | null }) {
  const demo = models.filter((m) => m.demoMode);
  const [tab, setTab] = useState(demo[0]?.gridId ?? null);
  const selected = demo.find((m) => m.gridId === tab) ?? demo[0] ?? null;
  return (
    <>
      {demo.length > 1 && (
        // biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons styled as tabs (flex), not form fields; role="group" names the row
        <div className={styles.tabs} role="group" aria-label="Demonstrator grid">
          {demo.map((m) => (
            <button key={m.gridId} type="button" className="btn btn-small" aria-pressed={m.gridId === selected?.gridId} onClick={() => setTab(m.gridId)}>
              {m.gridName}
            </button>
          ))}
        </div>
      )}
      {selected && <DemoGridMaps key={selected.gridId} model={selected} runId={runId} />}
      {models
        .filter((m) => !m.demoMode)
        .map((m) => (
          <PccOnly key={m.gridId} model={m} validation={validations?.find((v) => v.gridId === m.gridId) ?? null} />
        ))}
    </>
  );
}
