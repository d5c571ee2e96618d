import type { Generator, Network } from "../grid/types";
import { solvePowerFlow } from "../powerflow";
import { boundaryDer, regionNetwork, type BoundaryPoint, type RegionProblem } from "./index";

/**
 * Re-run a boundary point as an AC power flow with its dispatch: the region's network with
 * the point's DER injections taken off their buses' loads and its first generator (the
 * PCC's) alone as slack; `slack` may change that generator, e.g. to hold the point's PCC
 * voltage.
 */
export function replayBoundaryPoint(problem: RegionProblem, b: BoundaryPoint, slack: (g: Generator) => Generator = (g) => g): { pf: ReturnType<typeof solvePowerFlow>; net: Network } {
  const net = regionNetwork(problem);
  const byBus = new Map<number, [number, number]>();
  for (const d of boundaryDer(b, problem.units)) {
    const cur = byBus.get(d.bus) ?? [0, 0];
    byBus.set(d.bus, [cur[0] + d.pMW, cur[1] + d.qMVAr]);
  }
  const pfNet: Network = {
    ...net,
    generators: net.generators.slice(0, 1).map(slack),
    buses: net.buses.map((bus) => {
      const inj = byBus.get(bus.id);
      return inj ? { ...bus, pdMw: bus.pdMw - inj[0], qdMvar: bus.qdMvar - inj[1] } : bus;
    }),
  };
  return { pf: solvePowerFlow(pfNet, { tol: 1e-10 }), net: pfNet };
}
