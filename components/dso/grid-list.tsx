"use client";

import { useState } from "react";
import { deleteGrid } from "@/lib/client/api";
import { useDsoStore } from "./dso-store-context";

const FORMAT_LABEL = { matpower: "MATPOWER", json: "project JSON", generated: "generated" } as const;

export function GridList() {
  const grids = useDsoStore((s) => s.grids);
  const selectedId = useDsoStore((s) => s.selectedId);
  const select = useDsoStore((s) => s.select);
  const removeGrid = useDsoStore((s) => s.removeGrid);
  const [error, setError] = useState<string | null>(null);

  async function remove(id: string, name: string) {
    if (!window.confirm(`Delete the grid "${name}" and its run history?`)) return;
    setError(null);
    try {
      await deleteGrid(id);
      removeGrid(id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="card">
      <div className="card-title">
        <h2>My grids</h2>
        <span className="muted small">{grids.length}</span>
      </div>
      {grids.length === 0 ? (
        <p className="muted small">No grids yet. Upload a MATPOWER case or a project network below.</p>
      ) : (
        <ul className="grid-list" data-testid="grid-list">
          {grids.map((g) => (
            <li key={g.id}>
              <button type="button" className="grid-item" aria-current={g.id === selectedId} onClick={() => select(g.id)} data-grid-id={g.id}>
                <span className="name">{g.name}</span>
                <span className="meta">
                  {g.busCount} buses · {g.branchCount} branches{g.fpuCount ? ` · ${g.fpuCount} flexible units` : ""} · {FORMAT_LABEL[g.sourceFormat]}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {selectedId && (
        <div style={{ marginTop: "0.75rem" }}>
          <button
            type="button"
            className="btn btn-small btn-danger"
            onClick={() => {
              const g = grids.find((x) => x.id === selectedId);
              if (g) void remove(g.id, g.name);
            }}
          >
            Delete selected grid
          </button>
        </div>
      )}
      {error && <div className="alert alert-error">{error}</div>}
    </div>
  );
}
