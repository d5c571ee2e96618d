"use client";

import { useRef, useState, type FormEvent } from "react";
import { useHydrated } from "@/components/forms/use-hydrated";
import { useDsoStore } from "./dso-store-context";
import type { GridSummary } from "@/lib/wire/dso";
import { MAX_UPLOAD_BYTES, tooLargeMessage } from "@/lib/limits/uploads";

interface Created {
  grid: GridSummary;
  district: { buildings: number; substations: number; feeders: number; warnings: string[] };
}

async function createFromBuildings(buildings: File, streets: File | null, name: string): Promise<Created> {
  const form = new FormData();
  form.set("buildings", buildings);
  if (streets) form.set("streets", streets);
  if (name.trim()) form.set("name", name.trim());
  const res = await fetch("/api/grids/from-buildings", { method: "POST", body: form });
  const body = (await res.json().catch(() => null)) as (Created & { error?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.error ?? `the server answered HTTP ${res.status}`);
  return body;
}

/**
 * Generate a grid from buildings: a GeoJSON file of buildings (points or footprints,
 * optional demand_kw) and optionally one of streets. The server builds and validates
 * the grid (lib/district) before storing it; errors name the feature and field.
 */
export function BuildingsUploadForm() {
  const hydrated = useHydrated();
  const addGrid = useDsoStore((s) => s.addGrid);
  const select = useDsoStore((s) => s.select);
  const buildingsInput = useRef<HTMLInputElement>(null);
  const streetsInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Created | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const buildings = buildingsInput.current?.files?.[0];
    const streets = streetsInput.current?.files?.[0] ?? null;
    if (!buildings) {
      setError("choose a GeoJSON file of buildings first");
      return;
    }
    for (const f of [buildings, streets]) {
      if (f && f.size > MAX_UPLOAD_BYTES) {
        setError(`${f.name}: ${tooLargeMessage(f.size)}`);
        return;
      }
    }
    setBusy(true);
    try {
      const created = await createFromBuildings(buildings, streets, name);
      addGrid(created.grid);
      select(created.grid.id);
      setDone(created);
      setName("");
      if (buildingsInput.current) buildingsInput.current.value = "";
      if (streetsInput.current) streetsInput.current.value = "";
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Grid from buildings">
      <div className="card-title">
        <h2>Grid from buildings</h2>
      </div>
      <div className="field">
        <label htmlFor="buildings-file">Buildings (GeoJSON)</label>
        <input
          id="buildings-file"
          ref={buildingsInput}
          type="file"
          accept=".geojson,.json"
          data-testid="buildings-file"
          onChange={() => {
            setError(null);
            setDone(null);
          }}
        />
        <div className="hint">Points or footprints; optional properties type (or OSM building), demand_kw, households.</div>
      </div>
      <div className="field">
        <label htmlFor="streets-file">Streets (GeoJSON, optional)</label>
        <input id="streets-file" ref={streetsInput} type="file" accept=".geojson,.json" data-testid="streets-file" />
        <div className="hint">LineStrings; cables follow them. Without streets, cables run between neighbouring buildings.</div>
      </div>
      <div className="field">
        <label htmlFor="buildings-grid-name">Name (optional)</label>
        <input id="buildings-grid-name" type="text" value={name} maxLength={120} placeholder="from the file" onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <button type="submit" className="btn btn-primary" disabled={busy || !hydrated}>
          {busy ? "Generating…" : "Generate grid"}
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="buildings-upload-error">
          <strong>Rejected.</strong> {error}
        </div>
      )}
      {done && (
        <div className="alert alert-ok" role="status" data-testid="buildings-upload-ok">
          {done.grid.name}: {done.district.buildings} buildings, {done.district.substations} substations, {done.district.feeders} LV feeders; {done.grid.busCount} buses.
          {done.district.warnings.map((w) => (
            <div key={w} className="small">
              Note: {w}
            </div>
          ))}
        </div>
      )}
    </form>
  );
}
