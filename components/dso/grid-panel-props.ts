import type { GridSummary } from "@/lib/wire/dso";
import type { PowerFlowPayload } from "@/solver-worker/protocol";

/** What every extra panel of the DSO grid view receives. */
export interface GridPanelProps {
  grid: GridSummary;
  /** The grid as project JSON text once fetched for a run (null before the first run). */
  networkJson: string | null;
  /** The latest power flow result of this grid (null before a run). */
  result: PowerFlowPayload | null;
}
