import type { MarketClearingResult } from "./result";
import type { LazySolution } from "./solve";

/**
 * Why a request cannot be cleared: the range of totals deliverable without congestion.
 * The extreme in the request's direction first; the other only if the request lies
 * short of it. `solveExtreme(dir)` clears with the balance replaced by maximizing
 * (dir = 1) or minimizing (dir = -1) the delivered total.
 */
export function explainInfeasible(
  solveExtreme: (dir: 1 | -1) => LazySolution,
  requestMw: number,
  offered: { offeredUpMw: number; offeredDownMw: number },
): { message: string; extra: Partial<MarketClearingResult> } {
  const sense: 1 | -1 = requestMw >= 0 ? 1 : -1;
  const first = solveExtreme(sense);
  if (!first.y) {
    return {
      message: `infeasible: the distribution grid violates its limits for every activation of the bids at every operating point (${first.res.Status}); no balancing power can be delivered without congestion`,
      extra: { maxDeliverableMw: 0 },
    };
  }
  const firstMw = first.y.flat().reduce((acc, v) => acc + v, 0);
  const beyond = sense > 0 ? requestMw > firstMw : requestMw < firstMw;
  const second = beyond ? null : solveExtreme(sense > 0 ? -1 : 1);
  const otherMw = second?.y ? second.y.flat().reduce((acc, v) => acc + v, 0) : undefined;
  const upMw = sense > 0 ? firstMw : otherMw;
  const downMw = sense > 0 ? otherMw : firstMw;
  const range = upMw !== undefined && downMw !== undefined ? `between ${downMw.toFixed(3)} and ${upMw.toFixed(3)} MW` : "";
  let why: string;
  if (beyond) {
    const offeredMw = sense > 0 ? offered.offeredUpMw : offered.offeredDownMw;
    const dir = sense > 0 ? "upward" : "downward";
    why =
      Math.abs(requestMw) > Math.abs(offeredMw) + 1e-9
        ? `the bids offer only ${offeredMw.toFixed(3)} MW ${dir}`
        : `activating more would congest the distribution grid (offered ${offeredMw.toFixed(3)} MW ${dir})`;
    why += `; the largest ${sense > 0 ? "" : "downward "}deliverable amount without congestion is ${firstMw.toFixed(3)} MW`;
  } else if (otherMw !== undefined && (sense > 0 ? requestMw < otherMw : requestMw > otherMw)) {
    why = `the grid needs at least ${otherMw.toFixed(3)} MW of activation to stay within its limits; the deliverable range is ${range}`;
  } else {
    why = `no combination of the bids' minimum activations and indivisible volumes sums to it; deliverable amounts lie ${range}`;
  }
  return {
    message: `infeasible: ${requestMw} MW cannot be delivered — ${why}`,
    extra: {
      maxDeliverableMw: firstMw,
      ...(upMw !== undefined && downMw !== undefined ? { minDeliverableMw: downMw, deliverableRangeMw: [downMw, upMw] as [number, number] } : {}),
    },
  };
}
