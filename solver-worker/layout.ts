import { parseNetworkJson } from "../lib/grid/json";
import type { Network } from "../lib/grid/types";
import { computeLayout } from "../lib/layout";
import type { LayoutJobStage, LayoutRequest, LayoutResult, StageProgress } from "./protocol";

/** The layout job of the worker: parse the grid, then lib/layout's computeLayout with its progress. */
export function runLayout(req: LayoutRequest, progress: (p: StageProgress<LayoutJobStage>) => void): LayoutResult {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading and validating the network" });
  const net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;
  const l = computeLayout(net, { onProgress: (stage, fraction, message) => progress({ stage, fraction: 0.05 + 0.95 * fraction, message }) });
  return { ...l, workerMs: performance.now() - t0 };
}
