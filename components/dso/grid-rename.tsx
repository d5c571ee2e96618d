"use client";

import { useState, type FormEvent } from "react";
import { useHydrated } from "../forms/use-hydrated";
import { renameGrid } from "@/lib/client/api";
import { useDsoStore } from "./dso-store-context";
import type { GridSummary } from "@/lib/wire/dso";

/** Rename the selected grid; a name another published grid holds is refused while this one is published. */
export function GridRename({ grid }: { grid: GridSummary }) {
  const hydrated = useHydrated();
  const updateGrid = useDsoStore((s) => s.updateGrid);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(grid.name);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      updateGrid(await renameGrid(grid.id, name));
      setEditing(false);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  if (!editing) {
    return (
      <button
        type="button"
        className="btn btn-small btn-ghost"
        onClick={() => {
          setName(grid.name);
          setEditing(true);
        }}
        data-testid="grid-rename"
      >
        Rename
      </button>
    );
  }
  return (
    <form onSubmit={submit} aria-label="Rename the grid" className="inline-form">
      <input type="text" aria-label="New name" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
      <button type="submit" className="btn btn-small btn-primary" disabled={!hydrated}>
        Save name
      </button>
      <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="grid-rename-error">
          {error}
        </div>
      )}
    </form>
  );
}
