import { CONGESTION_PCT, type GridMapData } from "./map-data";
import type { PowerFlowResult } from "@/lib/powerflow";

/** The label every demonstrator view carries: the DSO chose to show its grid. */
export const DEMO_LABEL = "Demonstrator mode — enabled by the DSO";

/** One AC power flow of a demo grid as JSON: branch loadings (null = no rating) and bus voltages, network order. */
export interface DemoFlowJson {
  converged: boolean;
  activatedMw: number;
  loadingPct: (number | null)[];
  vmPu: number[];
  /** Active power at each branch's from end, MW (the diagram's flow arrows). */
  pFromMw: number[];
  maxLoadingPct: number | null;
  vmMin: number;
  vmMax: number;
  /** Branches loaded above 100 %. */
  congested: number;
}

/** GET /api/tso/grids/[id]/demo-map: only served while the DSO has demo mode on. */
export interface DemoMapResponse {
  label: typeof DEMO_LABEL;
  gridId: string;
  gridName: string;
  map: GridMapData;
  /** All bids in the request's direction activated at once. */
  before: DemoFlowJson;
  /** The dispatch of the named clearing run (null without one). */
  after: DemoFlowJson | null;
  runId: string | null;
}

/** Server side: a power flow result reshaped once for the map. */
export function demoFlowJson(pf: PowerFlowResult, activatedMw: number): DemoFlowJson {
  let congested = 0;
  for (const l of pf.loadingPct) if (Math.abs(l) > CONGESTION_PCT) congested++;
  return {
    converged: pf.converged,
    activatedMw,
    loadingPct: Array.from(pf.loadingPct, (x) => (Number.isFinite(x) ? x : null)),
    vmPu: Array.from(pf.vm),
    pFromMw: Array.from(pf.pFromMw, (x) => (Number.isFinite(x) ? x : 0)),
    maxLoadingPct: pf.maxLoadingPct,
    vmMin: pf.vmMin,
    vmMax: pf.vmMax,
    congested,
  };
}

/** Client side: the arrays the map layers take (NaN where a branch has no rating). */
export function demoFlowArrays(f: DemoFlowJson): { loadingPct: Float64Array; vm: Float64Array; pFromMw: Float64Array } {
  return { loadingPct: Float64Array.from(f.loadingPct, (x) => (x === null ? NaN : x)), vm: Float64Array.from(f.vmPu), pFromMw: Float64Array.from(f.pFromMw) };
}
