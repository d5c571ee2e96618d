import type { DemoMapResponse } from "@/lib/map/demo-map";
import { failure, json } from "./api";
import type { RelinearizeRequest, ValidationRequestGrid } from "./tso-clearing";
import type { RunListItem, StoredRun, TsoMarket, TsoValidation, OpenedClearing } from "@/lib/wire/tso";

/**
 * The TSO view's calls (app/api/tso/*). Light models and re-linearized points stay
 * UTF-8 bytes on this thread — never decoded or parsed here — and go to the worker as
 * transferred buffers and back to the server as parts of a request body.
 */

export async function fetchTsoMarket(signal?: AbortSignal): Promise<TsoMarket> {
  return json<TsoMarket>(await fetch("/api/tso/bids", { signal }));
}

async function bytes(res: Response): Promise<Uint8Array> {
  if (!res.ok) throw await failure(res);
  return new Uint8Array(await res.arrayBuffer());
}

/** A published light model as its JSON bytes. */
export async function fetchLightModelBytes(id: string, signal?: AbortSignal): Promise<Uint8Array> {
  return bytes(await fetch(`/api/tso/light-models/${encodeURIComponent(id)}`, { signal }));
}

/**
 * Open a clearing: the bids to clear with, and the id the validations, re-linearizations
 * and the stored run name (the server keeps their dispatches within these bids).
 */
export async function openTsoClearing(requestMw: number): Promise<OpenedClearing> {
  return json<OpenedClearing>(await fetch("/api/tso/clearings", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requestMw }) }));
}

/** The validate request with each grid's added operating points spliced in as the JSON the server sent, unparsed. */
export function validationBody(clearingId: string, iteration: number, grids: ValidationRequestGrid[]): Blob {
  const parts: BlobPart[] = [`{"clearingId":${JSON.stringify(clearingId)},"iteration":${iteration},"grids":[`];
  grids.forEach(({ addedOperatingPointsJson, ...g }, k) => {
    parts.push(`${k ? "," : ""}${JSON.stringify(g).slice(0, -1)},"addedOperatingPoints":[`);
    addedOperatingPointsJson.forEach((p, j) => parts.push(...(j ? [","] : []), p as BlobPart));
    parts.push("]}");
  });
  parts.push("]}");
  return new Blob(parts, { type: "application/json" });
}

export async function validateDispatches(clearingId: string, iteration: number, grids: ValidationRequestGrid[]): Promise<TsoValidation[]> {
  const res = await fetch("/api/tso/validate", { method: "POST", headers: { "content-type": "application/json" }, body: validationBody(clearingId, iteration, grids) });
  return (await json<{ validations: TsoValidation[] }>(res)).validations;
}

/** The new operating point as JSON bytes. */
export async function relinearizeAt(clearingId: string, req: RelinearizeRequest): Promise<Uint8Array> {
  return bytes(await fetch("/api/tso/relinearize", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clearingId, ...req }) }));
}

export async function saveTsoRun(run: StoredRun): Promise<RunListItem> {
  const res = await fetch("/api/tso/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(run) });
  return (await json<{ run: RunListItem }>(res)).run;
}

export async function fetchDemoMap(gridId: string, runId: string | null, signal?: AbortSignal): Promise<DemoMapResponse> {
  const q = runId ? `?run=${encodeURIComponent(runId)}` : "";
  return json<DemoMapResponse>(await fetch(`/api/tso/grids/${encodeURIComponent(gridId)}/demo-map${q}`, { signal }));
}
