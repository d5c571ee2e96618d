import { AcOpf, type OpfSolution } from "../opf";
import { integratedNetwork, type Coupling, type Study } from "./study";
import { genCost } from "./tso-opf";

/**
 * The reference: one AC-OPF of the whole integrated system (paper 000 eq. 7) — the
 * transmission grid and every feeder with its DER, all costs together. AC power flow in the
 * feeders is exact for radial grids (Remark 1: DistFlow's angle relaxation is exact there).
 */
export interface CentralizedSystemResult {
  name: string;
  tsBus: number;
  /** Exchange into the distribution system at its PCC (MW, MVAr) and the PCC voltage. */
  pMw: number;
  qMvar: number;
  vPu: number;
  derPMw: number;
  derQMvar: number;
  derCostPerH: number;
  /** LMP of the transmission bus ($/MWh). */
  lmpP: number;
}

export interface CentralizedResult {
  coupling: Coupling;
  status: OpfSolution["status"];
  message: string;
  objective: number;
  tsCostPerH: number;
  solveMs: number;
  iterations: number;
  buses: number;
  systems: CentralizedSystemResult[];
}

export function solveCentralized(study: Study, coupling: Coupling, vRange?: [number, number]): CentralizedResult {
  const integrated = integratedNetwork(study, coupling, vRange);
  const net = integrated.net;
  const opf = new AcOpf(net, { requireCosts: false, links: integrated.links });
  const s = opf.solve();
  const busIdx = new Map(net.buses.map((b, i) => [b.id, i]));
  let tsCost = 0;
  study.ts.generators.forEach((g, k) => {
    if (g.inService && g.cost) tsCost += genCost(g.cost.coeffs, g.cost.model, s.pgMw[k]);
  });
  const systems = study.systems.map((sys, k): CentralizedSystemResult => {
    const m = integrated.systems[k];
    let p = 0;
    let q = 0;
    if (coupling === "power") {
      p = s.pgMw[m.pccGen];
      q = s.qgMvar[m.pccGen];
    } else {
      for (const b of m.pccBranches) {
        p += b.fromSide ? s.pFromMw[b.index] : s.pToMw[b.index];
        q += b.fromSide ? s.qFromMvar[b.index] : s.qToMvar[b.index];
      }
      // The root's own demand and shunt (merged into the bus) belong to the feeder too.
      const root = sys.net.buses.find((b) => b.type === "REF")!;
      const v = s.vm[busIdx.get(sys.tsBus)!];
      p += root.pdMw + root.gsMw * v * v;
      q += root.qdMvar - root.bsMvar * v * v;
    }
    const der = net.generators[m.der];
    const derP = s.pgMw[m.der];
    const i = busIdx.get(sys.tsBus)!;
    return {
      name: sys.name,
      tsBus: sys.tsBus,
      pMw: p,
      qMvar: q,
      vPu: coupling === "power" ? s.vm[busIdx.get(sys.tsBus)!] : s.vm[i],
      derPMw: derP,
      derQMvar: s.qgMvar[m.der],
      derCostPerH: der.cost ? genCost(der.cost.coeffs, der.cost.model, derP) : 0,
      lmpP: s.lamP[i],
    };
  });
  return { coupling, status: s.status, message: s.message, objective: s.objective, tsCostPerH: tsCost, solveMs: s.solveMs, iterations: s.iterations, buses: net.buses.length, systems };
}
