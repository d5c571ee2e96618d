import type { PowerFlowPayload } from "@/solver-worker/protocol";
import { CONGESTION_PCT, VOLTAGE_BAND } from "./colors";

export interface FlowSummary {
  converged: boolean;
  vmMin: number;
  vmMax: number;
  maxLoadingPct: number | null;
  maxLoadingBranchId: string | null;
  /** Branches loaded above 100 % and energised buses outside the voltage band. */
  congested: number;
  voltageViolations: number;
}

/** The figures the map panel states for one power flow result. */
export function flowSummary(r: PowerFlowPayload): FlowSummary {
  let congested = 0;
  for (const l of r.branches.loadingPct) if (Math.abs(l) > CONGESTION_PCT) congested++;
  let voltageViolations = 0;
  for (const v of r.buses.vmPu) if (v > 0 && (v < VOLTAGE_BAND[0] || v > VOLTAGE_BAND[1])) voltageViolations++;
  return {
    converged: r.summary.converged,
    vmMin: r.summary.vmMin,
    vmMax: r.summary.vmMax,
    maxLoadingPct: r.summary.maxLoadingPct,
    maxLoadingBranchId: r.summary.maxLoadingBranchId,
    congested,
    voltageViolations,
  };
}
