import { toPerUnit } from "../grid/per-unit";
import type { Network } from "../grid/types";
import { computeResults } from "../powerflow/results";
import { PowerFlowSolver } from "../powerflow/solver";
import { regionNetwork } from "./exact-solver";
import type { Point } from "./polygon";
import { participation, type Participation, type RegionProblem } from "./units";

/**
 * Is a PCC exchange u = (p, q) realisable in AC with the units dispatched as LinDistFlow
 * dispatches them (participation factors, Remark 4)? An AC power flow with the PCC as
 * slack at its voltage; the units' total is corrected until the slack delivers u (a few
 * power flows: the slack moves one for one with the units, plus the change in losses);
 * then every voltage, unit limit, PQ-chart edge and branch rating is checked. With one
 * unit (the paper's DER) this is exactly the AC feasibility of u.
 */
export class AcExchangeCheck {
  private readonly solver: PowerFlowSolver;
  private readonly unitBus: Int32Array;
  private readonly part: Participation;
  private readonly base: number;
  private readonly net: Network;
  /** The fixed demand (p.u.) without the units, and the work arrays the units are added to. */
  private readonly pd0: Float64Array;
  private readonly qd0: Float64Array;
  private readonly inj: { pd: Float64Array; qd: Float64Array };

  constructor(readonly problem: RegionProblem) {
    const full = regionNetwork(problem);
    this.net = { ...full, generators: full.generators.slice(0, 1) };
    const pu = toPerUnit(this.net);
    this.solver = new PowerFlowSolver(pu);
    this.base = this.net.baseMVA;
    this.unitBus = Int32Array.from(problem.units, (u) => pu.busIndex.get(u.bus)!);
    this.part = participation(problem.units);
    this.pd0 = pu.pd.slice();
    this.qd0 = pu.qd.slice();
    this.inj = { pd: pu.pd.slice(), qd: pu.qd.slice() };
  }

  /** True when u is realised within every limit (tolerance 1e-6 p.u., 1e-4 MW). */
  feasible([p, q]: Point): boolean {
    const units = this.problem.units;
    const base = this.base;
    const { inj, pd0, qd0 } = this;
    let totP = 0;
    let totQ = 0;
    for (let i = 0; i < pd0.length; i++) {
      totP += pd0[i] * base;
      totQ += qd0[i] * base;
    }
    const { alphaP, alphaQ, pMinSum, qMinSum } = this.part;
    let gP = totP - p;
    let gQ = totQ - q;
    const pk = new Float64Array(units.length);
    const qk = new Float64Array(units.length);
    for (let it = 0; it < 12; it++) {
      inj.pd.set(pd0);
      inj.qd.set(qd0);
      units.forEach((u, k) => {
        pk[k] = u.pMinMw + alphaP[k] * (gP - pMinSum);
        qk[k] = u.qMinMvar + alphaQ[k] * (gQ - qMinSum);
        inj.pd[this.unitBus[k]] -= pk[k] / base;
        inj.qd[this.unitBus[k]] -= qk[k] / base;
      });
      const sol = this.solver.solve(inj, { tol: 1e-10 });
      if (sol.status !== "converged") return false;
      const r = computeResults(this.solver, sol, inj, 0);
      const dp = r.slackPMw - p;
      const dq = r.slackQMvar - q;
      gP += dp;
      gQ += dq;
      if (Math.abs(dp) < 1e-7 && Math.abs(dq) < 1e-7) return this.withinLimits(r.vm, r.loadingPct, pk, qk);
    }
    return false;
  }

  private withinLimits(vm: Float64Array, loading: Float64Array, pk: Float64Array, qk: Float64Array): boolean {
    const tolV = 1e-6;
    const tol = 1e-4;
    for (let i = 0; i < this.net.buses.length; i++) {
      const b = this.net.buses[i];
      if (b.type === "NONE") continue;
      if (vm[i] > b.vmaxPu + tolV || vm[i] < b.vminPu - tolV) return false;
    }
    for (const l of loading) if (Math.abs(l) > 100 + 1e-4) return false;
    return this.problem.units.every((u, k) => {
      if (pk[k] > u.pMaxMw + tol || pk[k] < u.pMinMw - tol || qk[k] > u.qMaxMvar + tol || qk[k] < u.qMinMvar - tol) return false;
      return u.chart.every((h) => h.a * pk[k] + h.b * qk[k] <= h.c + tol * Math.hypot(h.a, h.b));
    });
  }
}
