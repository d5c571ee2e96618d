import { createStore, type StoreApi } from "zustand/vanilla";
import type { OpfPayload, PowerFlowPayload, PowerFlowStage, StageProgress } from "@/solver-worker/protocol";
import type { GridSummary, RunSummary } from "@/lib/wire/dso";

export type RunState =
  | { phase: "idle" }
  | { phase: "fetching"; gridId: string }
  | { phase: "running"; gridId: string; progress: StageProgress<PowerFlowStage> | null }
  | { phase: "done"; gridId: string; result: PowerFlowPayload; wallMs: number }
  | { phase: "failed"; gridId: string; message: string }
  | { phase: "cancelled"; gridId: string };

export interface DsoState {
  grids: GridSummary[];
  selectedId: string | null;
  /** Project JSON of the selected grid, once fetched (kept for re-runs and grid panels). */
  network: { gridId: string; text: string } | null;
  run: RunState;
  /** The last finished run of the selected grid; stays on screen while a re-run is under way. */
  latest: { gridId: string; result: PowerFlowPayload; wallMs: number } | null;
  history: RunSummary[];
  /** The last optimal power flow of the selected grid (its LMPs and binding limits go on the network diagram). */
  opf: { gridId: string; result: OpfPayload } | null;
  select: (id: string | null) => void;
  addGrid: (grid: GridSummary) => void;
  removeGrid: (id: string) => void;
  /** A grid's new summary (after a rename). */
  updateGrid: (grid: GridSummary) => void;
  setNetwork: (network: { gridId: string; text: string }) => void;
  setRun: (run: RunState) => void;
  setHistory: (gridId: string, history: RunSummary[]) => void;
  setOpf: (opf: { gridId: string; result: OpfPayload } | null) => void;
}

/** One store per DSO page (not a module singleton, so server renders never share state). */
export function createDsoStore(init: { grids: GridSummary[]; selectedId: string | null }): StoreApi<DsoState> {
  return createStore<DsoState>()((set, get) => ({
    grids: init.grids,
    selectedId: init.selectedId,
    network: null,
    run: { phase: "idle" },
    latest: null,
    history: [],
    opf: null,
    select: (id) => {
      if (id === get().selectedId) return;
      set({ selectedId: id, network: null, run: { phase: "idle" }, latest: null, history: [], opf: null });
    },
    addGrid: (grid) => set({ grids: [...get().grids, grid] }),
    removeGrid: (id) => {
      const grids = get().grids.filter((g) => g.id !== id);
      if (get().selectedId === id) set({ grids, selectedId: grids[0]?.id ?? null, network: null, run: { phase: "idle" }, latest: null, history: [], opf: null });
      else set({ grids });
    },
    updateGrid: (grid) => set({ grids: get().grids.map((g) => (g.id === grid.id ? grid : g)) }),
    setNetwork: (network) => {
      if (network.gridId === get().selectedId) set({ network });
    },
    setRun: (run) => {
      if (run.phase !== "idle" && run.gridId !== get().selectedId) return;
      if (run.phase === "done") set({ run, latest: { gridId: run.gridId, result: run.result, wallMs: run.wallMs } });
      else set({ run });
    },
    setHistory: (gridId, history) => {
      if (gridId === get().selectedId) set({ history });
    },
    setOpf: (opf) => {
      if (opf === null || opf.gridId === get().selectedId) set({ opf });
    },
  }));
}
