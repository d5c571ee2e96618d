"use client";

import { Fragment, useCallback, useEffect, useState } from "react";
import { fetchTsoRequests } from "@/lib/client/light-model-api";
import { formatDateTime } from "./format";
import type { GridPanelProps } from "./grid-panel-props";
import type { TsoRequestView } from "@/lib/wire/dso";
import { TableHead } from "@/components/ui/table-head";

const KIND: Record<TsoRequestView["kind"], string> = { validate: "AC validation", relinearize: "re-linearization" };

/**
 * The DSO's audit trail of its grid: every AC validation and re-linearization the TSO
 * asked for (accepted or refused, with the reason), the dispatch it named by opaque
 * location and the bus behind each location, which only the DSO knows.
 */
export function TsoRequestsPanel({ grid }: GridPanelProps) {
  const [requests, setRequests] = useState<TsoRequestView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setRequests(await fetchTsoRequests(grid.id, signal));
        setError(null);
      } catch (e) {
        if (!signal?.aborted) setError((e as Error).message);
      }
    },
    [grid.id],
  );

  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load]);

  return (
    <section className="card" data-testid="tso-requests" aria-label="What the TSO asked">
      <div className="card-title">
        <h2>What the TSO asked about this grid</h2>
        <button type="button" className="btn btn-small" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <p className="small muted">
        Each AC validation or re-linearization runs on your full grid. The TSO may ask only within a clearing it opened, for dispatches the published bids can deliver, at most 8 times per clearing and
        240 times per hour; refused requests are listed with the reason.
      </p>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {requests === null ? (
        <p className="muted small">Loading…</p>
      ) : requests.length === 0 ? (
        <p className="muted small" data-testid="tso-requests-empty">
          The TSO has not asked anything about this grid yet.
        </p>
      ) : (
        <table className="data" data-testid="tso-requests-table">
          <TableHead columns={["When", "TSO account", "Request", { num: "P_E (MW)" }, { num: "Iteration" }, { num: "Dispatched here (MW)" }, { num: "Locations" }, "Outcome"]} />
          <tbody>
            {requests.map((r) => (
              <Fragment key={r.id}>
                <tr data-testid="tso-request-row" data-accepted={r.accepted}>
                  <td>{formatDateTime(r.createdAt)}</td>
                  <td>{r.tso}</td>
                  <td>{KIND[r.kind]}</td>
                  <td className="num">{r.requestMw === null ? "—" : r.requestMw.toFixed(3)}</td>
                  <td className="num">{r.iteration}</td>
                  <td className="num">{r.totalMw.toFixed(4)}</td>
                  <td className="num">
                    {r.dispatch.length > 0 ? (
                      <button type="button" className="btn btn-small btn-ghost" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                        {r.activeLocations}
                      </button>
                    ) : (
                      r.activeLocations
                    )}
                  </td>
                  <td>
                    <span className={`badge ${r.accepted ? "badge-ok" : "badge-bad"}`}>{r.accepted ? "answered" : "refused"}</span> {r.outcome}
                  </td>
                </tr>
                {open === r.id && (
                  <tr>
                    <td colSpan={8}>
                      <table className="data" data-testid="tso-request-dispatch">
                        <TableHead columns={["Opaque location", "Bus", { num: "MW" }, { num: "MVAr" }]} />
                        <tbody>
                          {r.dispatch.map((d) => (
                            <tr key={d.location}>
                              <td>{d.location}</td>
                              <td>{d.bus ?? "—"}</td>
                              <td className="num">{d.mw.toFixed(4)}</td>
                              <td className="num">{d.mvar.toFixed(4)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
