import type { RegionProblemOptionsStored } from "@/lib/regions/problem-options";
import type { PublishedRegion, PublishedRegionEntry, RegionSummary } from "@/lib/regions/published";
import { json } from "./api";

/** The DSO's and the TSO's calls around flexibility regions (app/api/grids/[id]/regions, app/api/tso/regions). */

export async function fetchRegions(gridId: string, signal?: AbortSignal): Promise<RegionSummary[]> {
  return (await json<{ regions: RegionSummary[] }>(await fetch(`/api/grids/${encodeURIComponent(gridId)}/regions`, { signal }))).regions;
}

/** Store (and publish) a region; `options` (how its problem was built) stays with the DSO for the post-coordination dispatch. */
export async function uploadRegion(gridId: string, region: PublishedRegion, publish: boolean, options?: RegionProblemOptionsStored): Promise<RegionSummary> {
  const res = await fetch(`/api/grids/${encodeURIComponent(gridId)}/regions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ region, publish, ...(options ? { options } : {}) }),
  });
  return (await json<{ region: RegionSummary }>(res)).region;
}

export async function fetchPublishedRegions(signal?: AbortSignal): Promise<PublishedRegionEntry[]> {
  return (await json<{ regions: PublishedRegionEntry[] }>(await fetch("/api/tso/regions", { signal }))).regions;
}
