import { ApiCallError, fileForm } from "@/lib/client/api";
import type { DemoMap, DemoMapAsset } from "@/lib/map/bcm-demo-map";
import type { BcmRunDetail, BcmRunSummary, DsoGridBids, PortfolioSummary, PortfolioDisaggregation } from "@/lib/wire/bcm";

/** Browser calls of the bid congestion manager's routes; a failure is an ApiCallError with the server's message. */
async function json<T>(res: Response): Promise<T> {
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new ApiCallError(res.status, body?.error ?? `the server answered HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

const enc = encodeURIComponent;

export async function uploadPortfolio(file: File, name: string): Promise<PortfolioSummary> {
  return (await json<{ portfolio: PortfolioSummary }>(await fetch("/api/portfolios", { method: "POST", body: fileForm(file, name) }))).portfolio;
}

export async function deletePortfolio(id: string): Promise<void> {
  const res = await fetch(`/api/portfolios/${enc(id)}`, { method: "DELETE" });
  if (!res.ok) await json(res);
}

export async function fetchDisaggregation(id: string, signal?: AbortSignal): Promise<PortfolioDisaggregation> {
  return json<PortfolioDisaggregation>(await fetch(`/api/portfolios/${enc(id)}/disaggregation`, { signal }));
}

export async function runBcm(requestMw: number): Promise<BcmRunDetail> {
  const res = await fetch("/api/bcm/run", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requestMw }) });
  return (await json<{ run: BcmRunDetail }>(res)).run;
}

export async function fetchRuns(): Promise<BcmRunSummary[]> {
  return (await json<{ runs: BcmRunSummary[] }>(await fetch("/api/bcm/runs"))).runs;
}

export async function fetchRun(id: string): Promise<BcmRunDetail> {
  return (await json<{ run: BcmRunDetail }>(await fetch(`/api/bcm/runs/${enc(id)}`))).run;
}

export function resultsCsvUrl(runId: string): string {
  return `/api/bcm/runs/${enc(runId)}/results.csv`;
}

export const TEMPLATE_URL = "/api/portfolios/template";

export interface DemoMapResponse {
  grid: { id: string; name: string; demoMode: true };
  map: DemoMap;
  assets: DemoMapAsset[];
}

export async function fetchDemoMap(gridId: string, signal?: AbortSignal): Promise<DemoMapResponse> {
  return json<DemoMapResponse>(await fetch(`/api/bcm/grids/${enc(gridId)}/map`, { signal }));
}

export async function fetchDsoBids(): Promise<DsoGridBids[]> {
  return (await json<{ grids: DsoGridBids[] }>(await fetch("/api/dso/bids"))).grids;
}
