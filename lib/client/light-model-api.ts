import { failure, json } from "./api";
import type { LightModelSummary, TsoRequestView } from "@/lib/wire/dso";

/** The DSO's calls around light models (app/api/grids/[id]/light-models, demo-mode). */

const gridPath = (gridId: string) => `/api/grids/${encodeURIComponent(gridId)}`;

export async function fetchLightModels(gridId: string, signal?: AbortSignal): Promise<LightModelSummary[]> {
  return (await json<{ lightModels: LightModelSummary[] }>(await fetch(`${gridPath(gridId)}/light-models`, { signal }))).lightModels;
}

/**
 * Store (and publish) a light model with its key. Both arrive from the worker as JSON
 * text and go into the body unparsed, so a large model costs the page no parsing.
 */
export async function uploadLightModel(gridId: string, lightModelJson: string, keyJson: string, publish: boolean): Promise<LightModelSummary> {
  const res = await fetch(`${gridPath(gridId)}/light-models`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: `{"lightModel":${lightModelJson},"key":${keyJson},"publish":${publish}}`,
  });
  return (await json<{ lightModel: LightModelSummary }>(res)).lightModel;
}

export async function publishStoredLightModel(gridId: string, lightModelId: string): Promise<LightModelSummary> {
  const res = await fetch(`${gridPath(gridId)}/light-models/${encodeURIComponent(lightModelId)}/publish`, { method: "POST" });
  return (await json<{ lightModel: LightModelSummary }>(res)).lightModel;
}

/** Where a stored light model downloads from (the TSO-visible JSON, never the key). */
export function lightModelDownloadUrl(gridId: string, lightModelId: string): string {
  return `${gridPath(gridId)}/light-models/${encodeURIComponent(lightModelId)}`;
}

export async function fetchDemoMode(gridId: string, signal?: AbortSignal): Promise<boolean> {
  return (await json<{ demoMode: boolean }>(await fetch(`${gridPath(gridId)}/demo-mode`, { signal }))).demoMode;
}

export async function saveDemoMode(gridId: string, demoMode: boolean): Promise<boolean> {
  const res = await fetch(`${gridPath(gridId)}/demo-mode`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ demoMode }) });
  if (!res.ok) throw await failure(res);
  return ((await res.json()) as { demoMode: boolean }).demoMode;
}

/** What the TSO asked about the grid (the DSO's audit trail), newest first. */
export async function fetchTsoRequests(gridId: string, signal?: AbortSignal): Promise<TsoRequestView[]> {
  return (await json<{ requests: TsoRequestView[] }>(await fetch(`${gridPath(gridId)}/tso-requests`, { signal }))).requests;
}
