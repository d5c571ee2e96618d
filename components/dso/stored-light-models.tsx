"use client";

import { useCallback, useEffect, useState } from "react";
import { fetchDemoMode, fetchLightModels, lightModelDownloadUrl, publishStoredLightModel, saveDemoMode } from "@/lib/client/light-model-api";
import { formatDateTime } from "./format";
import styles from "./light-model.module.css";
import type { LightModelSummary } from "@/lib/wire/dso";
import { TableHead } from "@/components/ui/table-head";

/** The grid's stored light models (the published one is what the TSO reads) and the demo-mode switch. */
export function StoredLightModels({ gridId, version }: { gridId: string; version: number }) {
  const [models, setModels] = useState<LightModelSummary[] | null>(null);
  const [demoMode, setDemoMode] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [list, demo] = await Promise.all([fetchLightModels(gridId, signal), fetchDemoMode(gridId, signal)]);
        setModels(list);
        setDemoMode(demo);
        setError(null);
      } catch (e) {
        if (!signal?.aborted) setError((e as Error).message);
      }
    },
    [gridId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version from the parent reloads the list (version is the trigger, not read)
  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load, version]);

  const act = async (f: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await f();
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="lm-stored" style={{ marginTop: "1.5rem" }}>
      <h3>Stored light models</h3>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {models === null ? (
        <p className="muted small">Loading…</p>
      ) : models.length === 0 ? (
        <p className="muted small">None yet: compute one above and publish it.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <TableHead columns={["Created", { num: "Points" }, { num: "Locations" }, { num: "Monitored buses / branches" }, "Q", { num: "Size (kB)" }, "TSO", ""]} />
            <tbody>
              {models.map((m) => (
                <tr key={m.id} data-testid="lm-stored-row" data-published={m.published}>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td className="num">{m.operatingPoints}</td>
                  <td className="num">{m.locations}</td>
                  <td className="num">
                    {m.monitoredBuses} / {m.monitoredBranches}
                  </td>
                  <td>{m.reactive ? "yes" : "no"}</td>
                  <td className="num">{(m.sizeBytes / 1024).toFixed(0)}</td>
                  <td>{m.published ? <span className="badge badge-ok">published</span> : <span className="muted small">not published</span>}</td>
                  <td>
                    <a className="btn btn-small" href={lightModelDownloadUrl(gridId, m.id)} download>
                      JSON
                    </a>{" "}
                    {!m.published && (
                      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act(() => publishStoredLightModel(gridId, m.id))}>
                        Publish this version
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <label className={styles.switch}>
        <input
          type="checkbox"
          checked={demoMode ?? false}
          disabled={demoMode === null || busy}
          onChange={(e) => {
            const on = e.target.checked;
            void act(() => saveDemoMode(gridId, on));
          }}
          data-testid="lm-demo-mode"
        />
        <span>
          Let the TSO see this grid on the map (demonstrator)
          <br />
          <span className="muted small">
            A labelled demo mode, as in the paper&apos;s demonstrator: the TSO view then shows this grid&apos;s map before and after clearing. Off, the TSO sees only the exchange at the PCC and the
            validation verdict.
          </span>
        </span>
      </label>
    </div>
  );
}
