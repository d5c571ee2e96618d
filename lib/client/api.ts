import type { StoredLayout } from "@/lib/layout/json";
import type { GridLayoutSummary, GridSummary, RunInput, RunSummary } from "@/lib/wire/dso";

/** A failed API call, with the server's `{ error }` message when it sent one. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

/** The error of a failed response, with the server's message. */
export async function failure(res: Response): Promise<ApiCallError> {
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  return new ApiCallError(res.status, body?.error ?? `the server answered HTTP ${res.status}`);
}

/** The JSON body of a successful response, else its ApiCallError. */
export async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** An upload's form: the file, and its name when the operator gave one. */
export function fileForm(file: File, name: string): FormData {
  const form = new FormData();
  form.set("file", file);
  if (name.trim()) form.set("name", name.trim());
  return form;
}

export async function uploadGrid(file: File, name: string): Promise<GridSummary> {
  return (await json<{ grid: GridSummary }>(await fetch("/api/grids", { method: "POST", body: fileForm(file, name) }))).grid;
}

export async function deleteGrid(id: string): Promise<void> {
  const res = await fetch(`/api/grids/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (!res.ok) throw await failure(res);
}

/** The network as project JSON text, handed to the worker unparsed. */
export async function fetchNetworkText(id: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(`/api/grids/${encodeURIComponent(id)}/network`, { signal });
  if (!res.ok) throw await failure(res);
  return res.text();
}

export async function fetchRuns(id: string): Promise<RunSummary[]> {
  return (await json<{ runs: RunSummary[] }>(await fetch(`/api/grids/${encodeURIComponent(id)}/runs`))).runs;
}

export async function saveRun(id: string, run: RunInput): Promise<RunSummary> {
  const res = await fetch(`/api/grids/${encodeURIComponent(id)}/runs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(run),
  });
  return (await json<{ run: RunSummary }>(res)).run;
}

/** Rename a grid (409 while published, when another published grid has the name). */
export async function renameGrid(id: string, name: string): Promise<GridSummary> {
  const res = await fetch(`/api/grids/${encodeURIComponent(id)}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
  return (await json<{ grid: GridSummary }>(res)).grid;
}

/** The grid's stored schematic layout (flexplat-layout v1), null before the first. */
export async function fetchLayout(id: string, signal?: AbortSignal): Promise<StoredLayout | null> {
  return (await json<{ layout: StoredLayout | null }>(await fetch(`/api/grids/${encodeURIComponent(id)}/layout`, { signal }))).layout;
}

/** Store the layout the worker computed for a grid (replacing an earlier one). */
export async function storeLayout(id: string, layout: StoredLayout): Promise<GridLayoutSummary> {
  const res = await fetch(`/api/grids/${encodeURIComponent(id)}/layout`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ layout }) });
  return (await json<{ layout: GridLayoutSummary }>(res)).layout;
}

/** Save buses the operator dragged on the diagram. */
export async function moveLayoutBuses(id: string, moves: { busId: number; x: number; y: number }[]): Promise<GridLayoutSummary> {
  const res = await fetch(`/api/grids/${encodeURIComponent(id)}/layout`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ moves }) });
  return (await json<{ layout: GridLayoutSummary }>(res)).layout;
}
