"use client";

import { useMemo, useState } from "react";
import type { PowerFlowPayload } from "@/solver-worker/protocol";
import { branchRow, sortBranchIndices, type BranchSortKey, type SortDir } from "./branch-rows";
import { formatMw, formatPct } from "./format";

const PAGE_SIZE = 20;

const SORTED_BY: Record<BranchSortKey, string> = { id: "branch id", flow: "active power flow", loading: "loading", loss: "losses" };

function LoadingCell({ pct }: { pct: number }) {
  if (Number.isNaN(pct)) return <span className="muted">no rating</span>;
  const mag = Math.abs(pct);
  const cls = mag > 100 ? "over" : mag > 80 ? "high" : "";
  return (
    <>
      <span className="loading-bar" aria-hidden="true">
        <span className={cls} style={{ width: `${Math.min(100, mag)}%` }} />
      </span>
      {formatPct(pct)}
    </>
  );
}

export function BranchTable({ result }: { result: PowerFlowPayload }) {
  const br = result.branches;
  const [sort, setSort] = useState<{ key: BranchSortKey; dir: SortDir }>({ key: "loading", dir: "desc" });
  const [page, setPage] = useState(0);
  const order = useMemo(() => sortBranchIndices(br, sort.key, sort.dir), [br, sort]);
  const pages = Math.max(1, Math.ceil(order.length / PAGE_SIZE));
  const visible = Array.from(order.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), (l) => branchRow(br, l));
  const rated = useMemo(() => br.loadingPct.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0), [br]);

  function toggle(key: BranchSortKey) {
    setSort((s) => (s.key === key ? { key, dir: s.dir === "desc" ? "asc" : "desc" } : { key, dir: key === "id" ? "asc" : "desc" }));
    setPage(0);
  }

  const ariaSort = (key: BranchSortKey) => (sort.key === key ? (sort.dir === "asc" ? "ascending" : "descending") : "none");

  return (
    <div className="card">
      <div className="card-title">
        <h2>Branches</h2>
        <span className="muted small">
          {order.length} branches · {rated} with a rating · sorted by {SORTED_BY[sort.key]}
        </span>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="branch-table">
          <thead>
            <tr>
              <th aria-sort={ariaSort("id")}>
                <button type="button" onClick={() => toggle("id")}>
                  Branch
                </button>
              </th>
              <th>From → to</th>
              <th className="num" aria-sort={ariaSort("flow")}>
                <button type="button" onClick={() => toggle("flow")}>
                  P from (MW)
                </button>
              </th>
              <th className="num">Q from (MVAr)</th>
              <th className="num" aria-sort={ariaSort("loading")}>
                <button type="button" onClick={() => toggle("loading")}>
                  Loading (%)
                </button>
              </th>
              <th className="num" aria-sort={ariaSort("loss")}>
                <button type="button" onClick={() => toggle("loss")}>
                  Losses (kW)
                </button>
              </th>
              <th className="num">Losses (kVAr)</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => (
              <tr key={r.index} className={r.inService ? undefined : "out-of-service"} data-branch={r.id}>
                <td>
                  {r.name ?? r.id}
                  {!r.inService && (
                    <span className="badge" style={{ marginLeft: 6 }}>
                      open
                    </span>
                  )}
                </td>
                <td className="mono">
                  {r.from} → {r.to}
                </td>
                <td className="num">{formatMw(r.pFromMw, 4)}</td>
                <td className="num">{formatMw(r.qFromMvar, 4)}</td>
                <td className="num">
                  <LoadingCell pct={r.loadingPct} />
                </td>
                <td className="num">{r.lossKw.toFixed(3)}</td>
                <td className="num">{r.lossKvar.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <div className="pager">
          <button type="button" className="btn btn-small" onClick={() => setPage((p) => p - 1)} disabled={page === 0}>
            Previous
          </button>
          <span>
            page {page + 1} of {pages}
          </span>
          <button type="button" className="btn btn-small" onClick={() => setPage((p) => p + 1)} disabled={page >= pages - 1}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}
