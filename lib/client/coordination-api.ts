import { failure, fileForm, json } from "./api";
import type { CoordinationRunInput, CoordinationRunView, DsoSetPointView, TransmissionGridSummary } from "@/lib/wire/coordination";

/** The TSO's and the DSOs' calls around coordination (app/api/tso/transmission-grids, coordination-runs; app/api/grids/[id]/set-points). */

export async function fetchTransmissionGrids(signal?: AbortSignal): Promise<TransmissionGridSummary[]> {
  return (await json<{ grids: TransmissionGridSummary[] }>(await fetch("/api/tso/transmission-grids", { signal }))).grids;
}

export async function uploadTransmissionGrid(file: File, name: string): Promise<TransmissionGridSummary> {
  return (await json<{ grid: TransmissionGridSummary }>(await fetch("/api/tso/transmission-grids", { method: "POST", body: fileForm(file, name) }))).grid;
}

export async function fetchTransmissionNetwork(id: string): Promise<string> {
  const res = await fetch(`/api/tso/transmission-grids/${encodeURIComponent(id)}/network`);
  if (!res.ok) throw await failure(res);
  return res.text();
}

export async function fetchCoordinationRuns(signal?: AbortSignal): Promise<CoordinationRunView[]> {
  return (await json<{ runs: CoordinationRunView[] }>(await fetch("/api/tso/coordination-runs", { signal }))).runs;
}

export async function sendSetPoints(input: CoordinationRunInput): Promise<CoordinationRunView> {
  const res = await fetch("/api/tso/coordination-runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
  return (await json<{ run: CoordinationRunView }>(res)).run;
}

export async function fetchSetPoints(gridId: string, signal?: AbortSignal): Promise<DsoSetPointView[]> {
  return (await json<{ setPoints: DsoSetPointView[] }>(await fetch(`/api/grids/${encodeURIComponent(gridId)}/set-points`, { signal }))).setPoints;
}

export async function answerSetPoint(gridId: string, setPointId: string, status: "accepted" | "rejected", reason: string): Promise<DsoSetPointView> {
  const res = await fetch(`/api/grids/${encodeURIComponent(gridId)}/set-points/${encodeURIComponent(setPointId)}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status, ...(reason.trim() ? { reason: reason.trim() } : {}) }),
  });
  return (await json<{ setPoint: DsoSetPointView }>(res)).setPoint;
}
