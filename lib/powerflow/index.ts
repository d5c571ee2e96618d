import { toPerUnit } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { computeResults, type PowerFlowResult } from "./results";
import { PowerFlowSolver, type NewtonOptions } from "./solver";

export type { PowerFlowResult } from "./results";
export { PowerFlowSolver } from "./solver";
export type { NewtonOptions } from "./solver";
export { computeResults } from "./results";

/** AC power flow of a network as it is (Newton–Raphson, tolerance 1e-8 p.u. by default). */
export function solvePowerFlow(net: Network, opts: NewtonOptions = {}): PowerFlowResult {
  const t0 = performance.now();
  const solver = new PowerFlowSolver(toPerUnit(net));
  const inj = solver.baseInjections();
  const sol = solver.solve(inj, opts);
  return computeResults(solver, sol, inj, performance.now() - t0);
}

/** A copy with every out-of-service branch put in service (meshed variants of radial feeders). */
export function closeTies(net: Network): Network {
  return { ...net, branches: net.branches.map((b) => (b.inService ? b : { ...b, inService: true })) };
}

/** A copy with every fixed demand (bus Pd/Qd and individual loads) multiplied by `factor`. */
export function scaleLoads(net: Network, factor: number): Network {
  return {
    ...net,
    buses: net.buses.map((b) => ({ ...b, pdMw: b.pdMw * factor, qdMvar: b.qdMvar * factor })),
    loads: net.loads.map((l) => ({ ...l, pMw: l.pMw * factor, qMvar: l.qMvar * factor })),
  };
}
