import { fpuOfferMw, type Network } from "../grid/types";
import { solvePowerFlow, type PowerFlowResult } from "../powerflow";

/**
 * The two operating points of [P001] (deliverable 5.2), Fig. 5 and 6: the base case (no
 * flexibility activated) and every offered upward flexibility activated at once.
 */

/** A copy of the network with every FPU moved to its largest injection (all upward flexibility activated). */
export function withAllUpwardFlexibility(net: Network): Network {
  return { ...net, fpus: net.fpus.map((f) => ({ ...f, pMw: f.pMaxMw })) };
}

/** Total offered flexibility, MW: upward (≥ 0) and downward (≤ 0). */
export function offeredFlexibilityMw(net: Network): { upMw: number; downMw: number } {
  let upMw = 0;
  let downMw = 0;
  for (const f of net.fpus) {
    const o = fpuOfferMw(f);
    upMw += o.upMw;
    downMw += o.downMw;
  }
  return { upMw, downMw };
}

/** Loading above this is congestion (%). */
const CONGESTION_PCT = 100;

export interface PowerFlowSummary {
  converged: boolean;
  vmMin: number;
  vmMax: number;
  maxLoadingPct: number | null;
  /** Ids of branches loaded above 100 %. */
  congested: string[];
}

function summarizePowerFlow(net: Network, r: PowerFlowResult): PowerFlowSummary {
  const congested: string[] = [];
  r.loadingPct.forEach((l, i) => {
    if (Math.abs(l) > CONGESTION_PCT) congested.push(net.branches[i].id);
  });
  return { converged: r.converged, vmMin: r.vmMin, vmMax: r.vmMax, maxLoadingPct: r.maxLoadingPct, congested };
}

export interface DistrictAnalysis {
  base: PowerFlowResult;
  allFlex: PowerFlowResult;
  baseSummary: PowerFlowSummary;
  allFlexSummary: PowerFlowSummary;
  offered: { upMw: number; downMw: number };
}

/** Base-case and all-upward-flexibility AC power flows of a network. */
export function analyzeFlexibilityExtremes(net: Network): DistrictAnalysis {
  const base = solvePowerFlow(net);
  const flexNet = withAllUpwardFlexibility(net);
  const allFlex = solvePowerFlow(flexNet);
  return {
    base,
    allFlex,
    baseSummary: summarizePowerFlow(net, base),
    allFlexSummary: summarizePowerFlow(flexNet, allFlex),
    offered: offeredFlexibilityMw(net),
  };
}
