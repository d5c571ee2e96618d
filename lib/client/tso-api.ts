import type { DemoMapResponse } from "@/components/tso/demo-map-data";
import type { RunListItem, StoredRun, TsoMarket, TsoValidation } from "@/lib/server/tso";
import { failure, json } from "./api";
import type { RelinearizeRequest, ValidationRequestGrid } from "./tso-clearing";

/** The TSO view's calls (app/api/tso/*). Light models and re-linearized points stay JSON text: the worker parses them. */

export async function fetchTsoMarket(signal?: AbortSignal): Promise<TsoMarket> {
  return json<TsoMarket>(await fetch("/api/tso/bids", { signal }));
}

export async function fetchLightModelText(id: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(`/api/tso/light-models/${encodeURIComponent(id)}`, { signal });
  if (!res.ok) throw await failure(res);
  return res.text();
}

/** The validate request with each grid's added operating points spliced in as the raw JSON text the server sent. */
export function validationBody(grids: ValidationRequestGrid[]): string {
  const parts = grids.map(({ addedOperatingPointsJson, ...g }) => `${JSON.stringify(g).slice(0, -1)},"addedOperatingPoints":[${addedOperatingPointsJson.join(",")}]}`);
  return `{"grids":[${parts.join(",")}]}`;
}

export async function validateDispatches(grids: ValidationRequestGrid[]): Promise<TsoValidation[]> {
  const res = await fetch("/api/tso/validate", { method: "POST", headers: { "content-type": "application/json" }, body: validationBody(grids) });
  return (await json<{ validations: TsoValidation[] }>(res)).validations;
}

/** The new operating point as JSON text. */
export async function relinearizeAt(req: RelinearizeRequest): Promise<string> {
  const res = await fetch("/api/tso/relinearize", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(req) });
  if (!res.ok) throw await failure(res);
  return res.text();
}

export async function saveTsoRun(run: StoredRun): Promise<RunListItem> {
  const res = await fetch("/api/tso/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(run) });
  return (await json<{ run: RunListItem }>(res)).run;
}

export async function fetchTsoRuns(): Promise<RunListItem[]> {
  return (await json<{ runs: RunListItem[] }>(await fetch("/api/tso/runs"))).runs;
}

export async function fetchDemoMap(gridId: string, runId: string | null, signal?: AbortSignal): Promise<DemoMapResponse> {
  const q = runId ? `?run=${encodeURIComponent(runId)}` : "";
  return json<DemoMapResponse>(await fetch(`/api/tso/grids/${encodeURIComponent(gridId)}/demo-map${q}`, { signal }));
}
