import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import type { Network } from "../grid/types";
import { readReference, readSharedCase, sharedCasesWithReference } from "../testing/shared";
import { mulberry32 } from "../util/mulberry32";
import { endFlow, newEndFlow, packedIndex } from "./branch-flow";
import { checkOpfWithPowerFlow } from "./check";
import { AcOpf, OpfInputError, solveOpf, type OpfSolution } from "./index";
import { KktSystem } from "./kkt";
import { blockPattern, buildLayout, variableBus } from "./layout";
import { buildOpfModel } from "./model";

interface OpfReference {
  success: boolean;
  objective: number | number[];
  iterations?: number;
  gen_pg_mw?: number | number[];
  vm_min?: number;
  vm_max?: number;
  message?: string;
  variant_added_linear_gencost?: { objective: number; iterations: number };
}

/**
 * A five-bus case with what the OPF formulation must handle: a phase shifter with an
 * off-nominal tap, line charging, shunts, two generators at one bus, a piecewise-linear
 * cost, a cubic cost, rated branches and an angle-difference limit.
 */
const FEATURES = `function mpc = features
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0   0   0   0   1 1.02 0 110 1 1.1 0.9;
  2 2 20  5   0   0   1 1.00 0 110 1 1.1 0.9;
  3 1 45  15  0   0   1 1.00 0 20  1 1.08 0.92;
  4 1 40  5   2   19  1 1.00 0 110 1 1.1 0.9;
  5 1 60  10  0   0   1 1.00 0 110 1 1.1 0.9;
];
mpc.gen = [
  1 40 0 50  -50  1.03 100 1 200 0;
  1 30 0 30  -10  1.03 100 1 80 5;
  2 50 0 40  -40  1.01 100 1 100 0;
];
mpc.branch = [
  1 2 0.02 0.06 0.03 60  0 0 0     0 1 -30 30;
  1 3 0.005 0.08 0   80  0 0 0.97  3 1 -360 360;
  2 4 0.06 0.18 0.02 0   0 0 0     0 1 -360 360;
  3 4 0.01 0.04 0.01 0   0 0 1.02 -2 1 -360 360;
  4 5 0.03 0.09 0.02 60  0 0 0     0 1 -0.3 0.3;
  2 5 0.05 0.15 0.02 0   0 0 0     0 1 -360 360;
];
mpc.gencost = [
  2 0 0 3 0.05 30 100 0 0 0;
  1 0 0 3 0 0 40 1000 80 2600;
  2 0 0 4 0.0001 0.02 25 50 0 0;
];
`;

const features = () => parseMatpowerCase(FEATURES);
const shared = (name: string) => parseMatpowerCase(readSharedCase(name));

function kktAt(net: Network) {
  const model = buildOpfModel(net);
  const varBus = variableBus(model);
  const layout = buildLayout({ model, xmin: model.xmin, xmax: model.xmax, extraObjective: [], extraConstraints: [], linearConstraints: [] }, blockPattern(model, [], varBus), varBus);
  const cm = 1e-4;
  const sys = new KktSystem(model, layout, { genCosts: true, linear: null, extra: [] }, model.xmin, model.xmax, [], [], cm);
  return { model, layout, sys, cm };
}

describe("branch flow derivatives", () => {
  it("match central finite differences (gradients to 1e-7, Hessians to 1e-6, relative)", () => {
    const r = mulberry32(5);
    const e = newEndFlow();
    const ep = newEndFlow();
    const em = newEndFlow();
    for (let trial = 0; trial < 20; trial++) {
      const y = [r() * 4 - 2, r() * 4 - 2, r() * 10 - 5, r() * 10 - 5];
      const v = [r() - 0.5, 0.9 + 0.2 * r(), r() - 0.5, 0.9 + 0.2 * r()];
      const at = (x: number[], out: typeof e) => endFlow(y[0], y[1], y[2], y[3], x[0], x[1], x[2], x[3], out);
      at(v, e);
      const h = 1e-6;
      for (let a = 0; a < 4; a++) {
        const vp = v.slice();
        const vm = v.slice();
        vp[a] += h;
        vm[a] -= h;
        at(vp, ep);
        at(vm, em);
        // Central differences are accurate to O(h²) ≈ 1e-12 plus rounding ≈ 1e-10/h.
        expect(Math.abs((ep.p - em.p) / (2 * h) - e.dp[a])).toBeLessThan(1e-7 * (1 + Math.abs(e.dp[a])));
        expect(Math.abs((ep.q - em.q) / (2 * h) - e.dq[a])).toBeLessThan(1e-7 * (1 + Math.abs(e.dq[a])));
        for (let b = 0; b < 4; b++) {
          const k = packedIndex(a, b);
          expect(Math.abs((ep.dp[b] - em.dp[b]) / (2 * h) - e.hp[k])).toBeLessThan(1e-6 * (1 + Math.abs(e.hp[k])));
          expect(Math.abs((ep.dq[b] - em.dq[b]) / (2 * h) - e.hq[k])).toBeLessThan(1e-6 * (1 + Math.abs(e.hq[k])));
        }
      }
    }
  });
});

describe("OPF Newton system against finite differences", () => {
  it("assembles ∇L, the constraint Jacobian and the Hessian of the Lagrangian exactly (features case)", () => {
    const { model, layout, sys, cm } = kktAt(features());
    const r = mulberry32(9);
    const x = new Float64Array(model.nx);
    for (let v = 0; v < model.nx; v++) {
      const lo = Math.max(model.xmin[v], -1);
      const hi = Math.min(model.xmax[v], 1.5);
      x[v] = model.xmin[v] === model.xmax[v] ? lo : lo + (hi - lo) * (0.2 + 0.6 * r());
    }
    const lam = Float64Array.from({ length: 2 * model.nb }, () => r() - 0.5);
    const mu = Float64Array.from({ length: layout.nRows }, () => r());
    // With z huge the barrier terms μ/z ∇h∇hᵀ vanish and M is the Hessian of the Lagrangian.
    const z = new Float64Array(layout.nRows).fill(1e30);
    const lagrangian = (xx: Float64Array) => {
      const f = sys.evaluate({ x: xx, lam, mu, z }, 0);
      let l = f * cm;
      for (let i = 0; i < sys.g.length; i++) l += lam[i] * sys.g[i];
      for (let j = 0; j < sys.h.length; j++) l += mu[j] * sys.h[j];
      return { l, g: sys.g.slice(), lx: sys.lx.slice() };
    };
    const base = lagrangian(x);
    const kkt = layout.ldl.values.slice();
    const h = 1e-6;
    let checked = 0;
    for (let v = 0; v < model.nx; v++) {
      if (!layout.free[v]) continue;
      const xp = x.slice();
      const xm = x.slice();
      xp[v] += h;
      xm[v] -= h;
      const p = lagrangian(xp);
      const m = lagrangian(xm);
      // ∇L (pwl rows are linear, the costs polynomial: central differences are near exact).
      expect(Math.abs((p.l - m.l) / (2 * h) - base.lx[v])).toBeLessThan(1e-6 * (1 + Math.abs(base.lx[v])));
      // Jacobian column of every power balance row.
      for (let i = 0; i < model.nb; i++) {
        for (const [c, u] of [
          [2 * i, layout.kktOfLamP[i]],
          [2 * i + 1, layout.kktOfLamQ[i]],
        ]) {
          const fd = (p.g[c] - m.g[c]) / (2 * h);
          const o = layout.ldl.offset(layout.kktOfVar[v], u);
          const an = o < 0 ? 0 : kkt[o];
          expect(Math.abs(fd - an)).toBeLessThan(1e-6 * (1 + Math.abs(an)));
        }
      }
      // Hessian column.
      for (let w = 0; w < model.nx; w++) {
        if (!layout.free[w]) continue;
        const fd = (p.lx[w] - m.lx[w]) / (2 * h);
        const o = layout.ldl.offset(layout.kktOfVar[v], layout.kktOfVar[w]);
        const an = o < 0 ? 0 : kkt[o];
        expect(Math.abs(fd - an)).toBeLessThan(1e-5 * (1 + Math.abs(an)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("AC OPF against MATPOWER's runopf (MIPS)", () => {
  const cases = sharedCasesWithReference("opf");
  it("has references for the cases the issue names", () => {
    for (const c of ["case9", "case14", "case30", "case33bw", "case33mg", "case10ba", "case118zh", "case1354pegase"]) {
      expect(cases).toContain(c);
    }
  });
  for (const name of cases) {
    const ref = readReference<OpfReference>(`${name}_opf.json`);
    if (name === "case533mt_lo") {
      it("case533mt_lo has no gencost: refused by name; with 1 $/MWh added as MATPOWER's variant, its objective to 1e-6", () => {
        expect(() => solveOpf(shared(name))).toThrow(/generator 1 at bus 1 has no cost/);
        const net = shared(name);
        net.generators.forEach((g) => (g.cost = { model: 2, startup: 0, shutdown: 0, coeffs: [1, 0] }));
        const s = solveOpf(net);
        const v = ref.variant_added_linear_gencost!;
        expect(s.status).toBe("optimal");
        expect(Math.abs(s.objective - v.objective) / Math.abs(v.objective)).toBeLessThan(1e-6);
      });
      continue;
    }
    if (!ref.success) {
      it(`${name} (load beyond its generation) is reported infeasible with the reason`, () => {
        const s = solveOpf(shared(name));
        expect(s.status).toBe("infeasible");
        expect(s.message).toMatch(/fixed demand of [\d.]+ MW exceeds .* total Pmax of 10\.000 MW/);
      });
      continue;
    }
    it(`${name}: objective to 1e-6 of MATPOWER's, and an independent power flow reproduces the dispatch`, () => {
      const net = shared(name);
      const s = solveOpf(net);
      expect(s.status).toBe("optimal");
      const refObj = ref.objective as number;
      // Same start, step rule and tolerances as MIPS: observed 1e-12 to 1.4e-7 (case33mg).
      expect(Math.abs(s.objective - refObj) / Math.abs(refObj)).toBeLessThan(1e-6);
      if (ref.gen_pg_mw !== undefined) {
        const pg = ([] as number[]).concat(ref.gen_pg_mw);
        const ours = net.generators.map((g, k) => (g.inService ? s.pgMw[k] : NaN)).filter((x) => !Number.isNaN(x));
        // Dispatch at MIPS's stopping tolerance (5e-6 feasibility, 1e-6 optimality): 1e-2 MW.
        ours.forEach((p, k) => expect(Math.abs(p - pg[k])).toBeLessThan(1e-2));
        let vmin = Infinity;
        let vmax = -Infinity;
        s.vm.forEach((v) => {
          vmin = Math.min(vmin, v);
          vmax = Math.max(vmax, v);
        });
        expect(Math.abs(vmin - ref.vm_min!)).toBeLessThan(1e-4);
        expect(Math.abs(vmax - ref.vm_max!)).toBeLessThan(1e-4);
      }
      const ac = checkOpfWithPowerFlow(net, s);
      expect(ac.converged).toBe(true);
      // The OPF stops at a power balance mismatch of at most 5e-6 (scaled): voltages to 1e-6 p.u.
      expect(ac.maxDvm).toBeLessThan(1e-6);
      expect(ac.maxDvaDeg).toBeLessThan(1e-4);
      expect(ac.slackDpMw).toBeLessThan(1e-3);
      expect(ac.voltageViolationPu).toBeLessThan(1e-6);
      expect(ac.loadingViolationPct).toBeLessThan(1e-3);
      expect(ac.reactiveViolationMvar).toBeLessThan(1e-3);
    });
  }
});

/** Marginal cost ($/MWh) of a polynomial gencost at p MW. */
function marginalCost(coeffs: number[], p: number): number {
  let d = 0;
  const n = coeffs.length;
  for (let j = 0; j < n - 1; j++) d = d * p + coeffs[j] * (n - 1 - j);
  return d;
}

describe("KKT conditions at the solution, in the reported quantities", () => {
  for (const name of ["case9", "case30", "features"]) {
    it(`${name}: each generator's marginal cost equals its bus's LMP plus its binding limits' prices; limits hold`, () => {
      const net = name === "features" ? features() : shared(name);
      const s: OpfSolution = solveOpf(net);
      expect(s.status).toBe("optimal");
      net.generators.forEach((g, k) => {
        if (!g.inService || g.cost?.model !== 2) return;
        const i = net.buses.findIndex((b) => b.id === g.bus);
        const price = (kind: string) => s.binding.find((c) => c.kind === kind && c.element === g.id)?.multiplier ?? 0;
        const mc = marginalCost(g.cost.coeffs, s.pgMw[k]);
        // Stationarity in Pg: f'(Pg) − λ_P + μ_max − μ_min = 0 ($/MWh), at MIPS's 1e-6 gradient tolerance.
        expect(Math.abs(mc - s.lamP[i] + price("pmax") - price("pmin"))).toBeLessThan(1e-2 * (1 + mc));
        // Reactive power costs nothing: λ_Q is the Q limits' price alone.
        expect(Math.abs(-s.lamQ[i] + price("qmax") - price("qmin"))).toBeLessThan(1e-2);
        expect(s.pgMw[k]).toBeLessThanOrEqual(g.pmaxMw + 1e-4);
        expect(s.pgMw[k]).toBeGreaterThanOrEqual(g.pminMw - 1e-4);
      });
      net.buses.forEach((b, i) => {
        expect(s.vm[i]).toBeLessThanOrEqual(b.vmaxPu + 1e-6);
        expect(s.vm[i]).toBeGreaterThanOrEqual(b.vminPu - 1e-6);
      });
      for (const c of s.binding) {
        expect(c.multiplier).toBeGreaterThan(0);
        expect(Math.abs(c.value - c.limit)).toBeLessThan(1e-3 * (1 + Math.abs(c.limit)));
      }
    });
  }

  it("binding limits of every kind are found: flows on case30, angle difference, voltage and Pmax on features", () => {
    const c30 = solveOpf(shared("case30"));
    expect(c30.binding.filter((c) => c.kind === "flow").map((c) => [c.element, c.side, c.limit])).toEqual([
      ["10", "from", 32],
      ["35", "to", 16],
    ]);
    const s = solveOpf(features());
    expect(s.status).toBe("optimal");
    expect(s.binding.map((c) => `${c.kind}:${c.element}`).sort()).toEqual(["angle:5", "pmax:3", "vmax:3"]);
    const ang = s.binding.find((c) => c.kind === "angle")!;
    expect(ang.value).toBeCloseTo(0.3, 5);
  });

  it("features: the piecewise-linear cost is on its curve in the objective", () => {
    const net = features();
    const s = solveOpf(net);
    // Generator 2's cost is the pwl through (0,0) (40,1000) (80,2600): 25 $/MWh then 40 $/MWh.
    const p2 = s.pgMw[1];
    const pwl = p2 <= 40 ? 25 * p2 : 1000 + 40 * (p2 - 40);
    const other = [0, 2].reduce((acc, k) => {
      const c = net.generators[k].cost!.coeffs;
      const p = s.pgMw[k];
      return acc + c.reduce((t, a) => t * p + a, 0);
    }, 0);
    expect(Math.abs(s.objective - (pwl + other))).toBeLessThan(1e-3);
  });
});

describe("warm start", () => {
  it("case30: after a bound change and after an objective change, fewer iterations to the cold solve's optimum", () => {
    const opf = new AcOpf(shared("case30"));
    const first = opf.solve();
    const k = opf.model.iPg;
    opf.xmax[k] = first.x[k] * 0.9;
    const warm = opf.solve({ warmStart: first.warmStart });
    const cold = opf.solve();
    expect(warm.status).toBe("optimal");
    expect(cold.status).toBe("optimal");
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(Math.abs(warm.objective - cold.objective) / cold.objective).toBeLessThan(1e-6);
    const linear = new Float64Array(opf.model.nx);
    linear[opf.model.iQg] = 5 * opf.model.baseMVA; // 5 $/MVArh on generator 1's Q
    opf.objective = { ...opf.objective, linear };
    const warm2 = opf.solve({ warmStart: cold.warmStart });
    const cold2 = opf.solve();
    expect(warm2.status).toBe("optimal");
    expect(warm2.iterations).toBeLessThan(cold2.iterations);
    expect(Math.abs(warm2.objective - cold2.objective) / Math.abs(cold2.objective)).toBeLessThan(1e-6);
  });

  it("refuses a warm start from another model", () => {
    const a = solveOpf(shared("case9"));
    expect(() => new AcOpf(shared("case14")).solve({ warmStart: a.warmStart })).toThrow(/different OPF model/);
  });
});

describe("outcomes", () => {
  it("infeasible when the flow limits cannot carry the load (detected by the interior point)", () => {
    const net = shared("case9");
    net.branches.forEach((b) => (b.rateAMva = 20));
    const s = solveOpf(net);
    expect(s.status).toBe("infeasible");
    expect(s.message).toMatch(/largest mismatch is still [\d.]+ M(W|VAr) at bus \d+/);
  });

  it("infeasible when no voltage within the bounds can carry the reactive load", () => {
    const net = shared("case9");
    net.buses.forEach((b) => {
      b.vmaxPu = 0.5;
      b.vminPu = 0.45;
    });
    expect(solveOpf(net).status).toBe("infeasible");
  });

  it("max_iterations when the limit is too small", () => {
    const s = solveOpf(shared("case9"), { maxIterations: 3 });
    expect(s.status).toBe("max_iterations");
    expect(s.iterations).toBe(3);
    expect(s.message).toMatch(/no convergence in 3 iterations/);
  });

  it("numerical_error when the objective overflows", () => {
    const net = shared("case9");
    net.generators.forEach((g) => (g.cost = { model: 2, startup: 0, shutdown: 0, coeffs: [1e306, 0, 0] }));
    const s = solveOpf(net);
    expect(s.status).toBe("numerical_error");
    expect(s.message).toMatch(/not finite/);
  });
});

describe("bad input", () => {
  const cases: [string, (n: Network) => void, RegExp][] = [
    ["no gencost", (n) => n.generators.forEach((g) => delete g.cost), /generator 1 at bus 1 has no cost/],
    ["Pmin > Pmax", (n) => (n.generators[1].pminMw = 500), /generator 2 at bus 2: Pmin 500 MW exceeds Pmax 300 MW/],
    ["Qmin > Qmax", (n) => (n.generators[2].qminMvar = 400), /generator 3 at bus 3: Qmin 400 MVAr exceeds Qmax 300 MVAr/],
    ["Vmin > Vmax", (n) => (n.buses[4].vminPu = 1.2), /bus 5: Vmin 1.2 p.u. exceeds Vmax 1.1 p.u./],
    [
      "an island without a reference bus",
      (n) => {
        for (const b of n.branches) if (b.to === 6 || b.from === 6) b.inService = false;
      },
      /buses 3, 6 are in an island without a reference bus/,
    ],
    ["no reference bus", (n) => (n.buses[0].type = "PV"), /no reference bus/],
  ];
  for (const [what, change, message] of cases) {
    it(`${what}: OpfInputError naming the element`, () => {
      const net = shared("case9");
      change(net);
      expect(() => new AcOpf(net)).toThrow(OpfInputError);
      expect(() => new AcOpf(net)).toThrow(message);
    });
  }
});
