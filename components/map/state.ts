import type { GridMapData } from "@/lib/map/map-data";

/** What the map shows on top of the grid: a power flow's loadings and voltages, and the selection. */
export interface GridMapState {
  /** Branch loadings in % (network branch order, signed; NaN = no rating). */
  loadingPct?: ArrayLike<number> | null;
  /** Bus voltage magnitudes in p.u. (network bus order; 0 = de-energised). */
  vm?: ArrayLike<number> | null;
  /** Selected element, e.g. "branch:lv-S1-F2-1", "bus:17", "substation:S3". */
  selectedId?: string | null;
}

export const elementId = {
  branch: (id: string) => `branch:${id}`,
  bus: (id: number) => `bus:${id}`,
  substation: (id: string) => `substation:${id}`,
};

/** The state's result arrays, or null where their length does not fit the data (a stale result). */
export function usableResults(data: GridMapData, state: GridMapState): { loading: ArrayLike<number> | null; vm: ArrayLike<number> | null } {
  const loading = state.loadingPct && state.loadingPct.length === data.branchCount ? state.loadingPct : null;
  const vm = state.vm && state.vm.length === data.busCount ? state.vm : null;
  return { loading, vm };
}
