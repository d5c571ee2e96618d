import { toPerUnit } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { computeResults } from "./results";
import { PowerFlowSolver } from "./solver";

export interface BatchResult {
  scenarios: number;
  converged: number;
  /** Scenarios per second over the whole batch, including the one-time analysis. */
  pfPerSecond: number;
  medianMs: number;
  totalMs: number;
  iterations: number[];
  vm?: Float64Array[];
}

/**
 * Power flows of many load scenarios on one topology: each row of `scales` multiplies
 * every bus's fixed demand (P and Q) by its factor. Each scenario starts from the
 * case's initial voltage (no warm start) and computes the full results (flows,
 * losses, slack), so the rate is that of complete power flows. The Ybus, Jacobian
 * pattern and LU analysis are built once.
 */
export function runBatch(net: Network, scales: Float64Array[], opts: { keepVm?: boolean; tol?: number } = {}): BatchResult {
  const t0 = performance.now();
  const pu = toPerUnit(net);
  const solver = new PowerFlowSolver(pu);
  const pd = new Float64Array(pu.nb);
  const qd = new Float64Array(pu.nb);
  const times: number[] = [];
  const iterations: number[] = [];
  const vm: Float64Array[] = [];
  let converged = 0;
  for (const s of scales) {
    const t1 = performance.now();
    for (let i = 0; i < pu.nb; i++) {
      pd[i] = pu.pd[i] * s[i];
      qd[i] = pu.qd[i] * s[i];
    }
    const inj = { pd, qd };
    const sol = solver.solve(inj, { tol: opts.tol });
    const res = computeResults(solver, sol, inj, 0);
    times.push(performance.now() - t1);
    iterations.push(sol.iterations);
    if (res.converged) converged++;
    if (opts.keepVm) vm.push(res.vm);
  }
  const totalMs = performance.now() - t0;
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    scenarios: scales.length,
    converged,
    pfPerSecond: (scales.length / totalMs) * 1000,
    medianMs,
    totalMs,
    iterations,
    vm: opts.keepVm ? vm : undefined,
  };
}
