import { toPerUnit } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { computeResults, PowerFlowSolver } from "../powerflow";
import { operatingPointInjections, type SensitivityModel } from "./compute";
import { mulberry32 } from "../util/mulberry32";

/**
 * How well each operating point's linearization ([P004] eq. 7-8) predicts the AC power
 * flow inside its Voronoi cell ([P004] eq. 9: the flexibility vectors closer to it than to
 * any other point) versus outside it. Samples spread over the offered range: a
 * common activation level a ~ U[0,1] per sample, jittered per location.
 */
export interface CellAccuracy {
  id: string;
  inside: { samples: number; vMaePu: number; vMaxPu: number; lMaePct: number; lMaxPct: number };
  outside: { samples: number; vMaePu: number; vMaxPu: number; lMaePct: number; lMaxPct: number };
}

/** Index of the operating point whose P_Flex is nearest (Euclidean, [P004] eq. 9). */
function nearestOperatingPoint(points: { pFlexMw: ArrayLike<number> }[], p: ArrayLike<number>): number {
  let best = 0;
  let bestD = Infinity;
  points.forEach((op, i) => {
    let d = 0;
    for (let k = 0; k < p.length; k++) d += (p[k] - op.pFlexMw[k]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

export function voronoiAccuracy(net: Network, model: SensitivityModel, samples = 30, seed = 1): CellAccuracy[] {
  const pu = toPerUnit(net);
  const solver = new PowerFlowSolver(pu);
  const rand = mulberry32(seed);
  const locs = model.locations;
  const nLoc = locs.length;
  const locBus = Int32Array.from(locs, (l) => pu.busIndex.get(l.bus)!);
  const monBus = model.monitoredBuses.map((id) => pu.busIndex.get(id)!);
  const branchIndex = new Map(net.branches.map((b, l) => [b.id, l]));
  const monBr = model.monitoredBranches.map((id) => branchIndex.get(id)!);
  type Acc = { n: number; vSum: number; vMax: number; vCount: number; lSum: number; lMax: number; lCount: number };
  const fresh = (): Acc => ({ n: 0, vSum: 0, vMax: 0, vCount: 0, lSum: 0, lMax: 0, lCount: 0 });
  const acc = model.points.map(() => ({ inside: fresh(), outside: fresh() }));
  for (let s = 0; s < samples; s++) {
    const level = rand();
    const p = new Float64Array(nLoc);
    for (let k = 0; k < nLoc; k++) p[k] = Math.min(1, Math.max(0, level + 0.3 * (rand() - 0.5))) * locs[k].offeredUpMw;
    const inj = operatingPointInjections(solver, locBus, p);
    const sol = solver.solve(inj);
    if (sol.status !== "converged") continue;
    const pf = computeResults(solver, sol, inj, 0);
    const cell = nearestOperatingPoint(model.points, p);
    model.points.forEach((op, i) => {
      if (!op.converged) return;
      const a = i === cell ? acc[i].inside : acc[i].outside;
      a.n++;
      const dp = p.map((x, k) => x - op.pFlexMw[k]);
      monBus.forEach((b, m) => {
        let v = op.v[m];
        for (let k = 0; k < nLoc; k++) v += op.vtdf[m * nLoc + k] * dp[k];
        const e = Math.abs(v - pf.vm[b]);
        a.vSum += e;
        a.vCount++;
        a.vMax = Math.max(a.vMax, e);
      });
      monBr.forEach((l, m) => {
        let v = op.l[m];
        for (let k = 0; k < nLoc; k++) v += op.ltdf[m * nLoc + k] * dp[k];
        // Compare magnitudes where the flow reverses (the sign convention jumps at P = 0).
        const actual = pf.loadingPct[l];
        const e = Math.sign(v) === Math.sign(actual) ? Math.abs(v - actual) : Math.abs(Math.abs(v) - Math.abs(actual));
        a.lSum += e;
        a.lCount++;
        a.lMax = Math.max(a.lMax, e);
      });
    });
  }
  const summary = (a: Acc) => ({
    samples: a.n,
    vMaePu: a.vCount ? a.vSum / a.vCount : NaN,
    vMaxPu: a.vMax,
    lMaePct: a.lCount ? a.lSum / a.lCount : NaN,
    lMaxPct: a.lMax,
  });
  return model.points.map((op, i) => ({ id: op.id, inside: summary(acc[i].inside), outside: summary(acc[i].outside) }));
}
