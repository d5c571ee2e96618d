import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import type { Network } from "../grid/types";
import { closeTies, scaleLoads, solvePowerFlow, type PowerFlowResult } from "./index";

/**
 * A five-bus case with the features the issue names: a phase-shifting transformer
 * with an off-nominal tap, line charging, bus shunts, two generators on the slack
 * bus, a PV bus with an out-of-service second generator, an out-of-service branch.
 */
const FEATURES = `function mpc = features
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0   0   0   0   1 1.02 0 110 1 1.1 0.9;
  2 2 20  5   0   0   1 1.00 0 110 1 1.1 0.9;
  3 1 45  15  0   0   1 1.00 0 20  1 1.1 0.9;
  4 1 40  5   2   19  1 1.00 0 110 1 1.1 0.9;
  5 1 60  10  0   0   1 1.00 0 110 1 1.1 0.9;
];
mpc.gen = [
  1 40 0 50  -50  1.03 100 1 200 0;
  1 30 0 30  -10  1.03 100 1 200 0;
  2 50 0 40  -40  1.01 100 1 100 0;
  2 10 0 40  -40  1.05 100 0 100 0;
];
mpc.branch = [
  1 2 0.02 0.06 0.03 0   0 0 0     0 1 -360 360;
  1 3 0.005 0.08 0   120 0 0 0.97  3 1 -360 360;
  2 4 0.06 0.18 0.02 0   0 0 0     0 1 -360 360;
  3 4 0.01 0.04 0.01 0   0 0 1.02 -2 1 -360 360;
  4 5 0.03 0.09 0.02 60  0 0 0     0 1 -360 360;
  2 5 0.05 0.15 0.02 0   0 0 0     0 0 -360 360;
];
`;

type C = [number, number];
const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const sub = (a: C, b: C): C => [a[0] - b[0], a[1] - b[1]];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const conj = (a: C): C => [a[0], -a[1]];
const div = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const polar = (m: number, deg: number): C => [m * Math.cos((deg * Math.PI) / 180), m * Math.sin((deg * Math.PI) / 180)];

/**
 * Largest bus power imbalance (MVA) of a solution, computed independently of the
 * solver's Ybus: each branch as an ideal transformer (ratio t at the from side)
 * followed by a pi section, I_f = (ys (V_f/t - V_t) + jb/2 V_f/t) / conj(t).
 */
function independentImbalanceMva(net: Network, r: PowerFlowResult): number {
  const idx = new Map(net.buses.map((b, i) => [b.id, i]));
  const V = net.buses.map((_, i) => polar(r.vm[i], r.vaDeg[i]));
  const out: C[] = net.buses.map(() => [0, 0]);
  for (const br of net.branches) {
    if (!br.inService) continue;
    const f = idx.get(br.from)!;
    const t = idx.get(br.to)!;
    const ys = div([1, 0], [br.rPu, br.xPu]);
    const tap = polar(br.tap === 0 ? 1 : br.tap, br.shiftDeg);
    const vfi = div(V[f], tap);
    const is = mul(ys, sub(vfi, V[t]));
    const jb2: C = [0, br.bPu / 2];
    const iF = div(add(is, mul(jb2, vfi)), conj(tap));
    const iT = add(mul([-1, 0], is), mul(jb2, V[t]));
    out[f] = add(out[f], mul(V[f], conj(iF)));
    out[t] = add(out[t], mul(V[t], conj(iT)));
  }
  let worst = 0;
  net.buses.forEach((b, i) => {
    const gen: C = [0, 0];
    net.generators.forEach((g, k) => {
      if (g.inService && g.bus === b.id) {
        gen[0] += r.genPMw[k] / net.baseMVA;
        gen[1] += r.genQMvar[k] / net.baseMVA;
      }
    });
    const shunt = mul([b.gsMw / net.baseMVA, -b.bsMvar / net.baseMVA], [r.vm[i] ** 2, 0]);
    const load: C = [b.pdMw / net.baseMVA, b.qdMvar / net.baseMVA];
    const bal = sub(sub(sub(gen, load), shunt), out[i]);
    worst = Math.max(worst, Math.hypot(bal[0], bal[1]) * net.baseMVA);
  });
  return worst;
}

describe("AC power flow", () => {
  it("solves taps, phase shifters, charging, shunts and several generators per bus", () => {
    const net = parseMatpowerCase(FEATURES);
    const r = solvePowerFlow(net);
    expect(r.converged).toBe(true);
    // Power balance at every bus from an independent branch model: 1e-6 MVA is
    // 1e-8 p.u. on 100 MVA, the solver's mismatch tolerance.
    expect(independentImbalanceMva(net, r)).toBeLessThan(1e-6);
    // Voltage set-points: the slack and the PV bus hold their generators' Vg
    // (the out-of-service generator's 1.05 is ignored).
    expect(r.vm[0]).toBeCloseTo(1.03, 14);
    expect(r.vm[1]).toBeCloseTo(1.01, 14);
    // Two generators on the slack bus: the first takes the balance, the second keeps its set-point.
    expect(r.genPMw[1]).toBe(30);
    expect(r.genPMw[0] + r.genPMw[1]).toBeCloseTo(r.slackPMw, 9);
    // Their reactive output splits in proportion to the reactive ranges (100 and 40 MVAr).
    const q0 = r.genQMvar[0] - -50;
    const q1 = r.genQMvar[1] - -10;
    expect(q0 / q1).toBeCloseTo(100 / 40, 9);
    expect(r.genQMvar[0] + r.genQMvar[1]).toBeCloseTo(r.slackQMvar, 9);
    // The out-of-service branch carries nothing and the off generator produces nothing.
    expect(r.pFromMw[5]).toBe(0);
    expect(r.genPMw[3]).toBe(0);
    // Loading: signed by direction, NaN without rating.
    expect(Number.isNaN(r.loadingPct[0])).toBe(true);
    expect(Math.abs(r.loadingPct[1])).toBeCloseTo((Math.max(Math.hypot(r.pFromMw[1], r.qFromMvar[1]), Math.hypot(r.pToMw[1], r.qToMvar[1])) / 120) * 100, 9);
    expect(Math.sign(r.loadingPct[1])).toBe(Math.sign(r.pFromMw[1]));
  });

  it("reports buses cut off from the slack as de-energized and solves the rest", () => {
    const net = parseMatpowerCase(FEATURES);
    net.branches[4].inService = false; // 4-5: bus 5 is now alone (2-5 is open too)
    const r = solvePowerFlow(net);
    expect(r.converged).toBe(true);
    expect(r.islandedBusIds).toEqual([5]);
    expect(r.vm[4]).toBe(0);
    expect(r.message).toMatch(/1 bus\(es\) not connected to a slack bus are de-energized \(60\.000 MW of load unserved\): 5/);
    expect(independentImbalanceMva({ ...net, buses: net.buses.map((b) => (b.id === 5 ? { ...b, pdMw: 0, qdMvar: 0 } : b)) }, r)).toBeLessThan(1e-6);
  });

  it("treats isolated (type 4) buses as de-energized without complaint", () => {
    const net = parseMatpowerCase(FEATURES);
    net.buses[4].type = "NONE";
    const r = solvePowerFlow(net);
    expect(r.converged).toBe(true);
    expect(r.islandedBusIds).toEqual([]);
    expect(r.vm[4]).toBe(0);
    expect(r.pFromMw[4]).toBe(0); // branch 4-5 to the isolated bus is out
  });

  it("reports non-convergence instead of a wrong answer", () => {
    const net = scaleLoads(parseMatpowerCase(FEATURES), 40);
    const r = solvePowerFlow(net);
    expect(r.converged).toBe(false);
    expect(["max_iterations", "diverged", "singular"]).toContain(r.status);
    expect(r.message).toMatch(/did not converge|diverged|singular/);
  });

  it("closes ties and scales loads on copies", () => {
    const net = parseMatpowerCase(FEATURES);
    const meshed = closeTies(net);
    expect(meshed.branches.every((b) => b.inService)).toBe(true);
    expect(net.branches[5].inService).toBe(false);
    const r = solvePowerFlow(meshed);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.pFromMw[5])).toBeGreaterThan(0.1);
    const half = solvePowerFlow(scaleLoads(net, 0.5));
    expect(half.slackPMw).toBeLessThan(solvePowerFlow(net).slackPMw);
  });

  it("agrees with the analytic two-bus solution", () => {
    // Slack at 1 p.u., lossless line x, load P at the far end with Q = 0:
    // P = V sin(-theta) / x and V^2 - V cos(theta) = 0  =>  V = cos(theta).
    const net = parseMatpowerCase(`function mpc = two
mpc.baseMVA = 100;
mpc.bus = [1 3 0 0 0 0 1 1 0 20 1 1.1 0.9; 2 1 40 0 0 0 1 1 0 20 1 1.1 0.9];
mpc.gen = [1 0 0 100 -100 1 100 1 100 0];
mpc.branch = [1 2 0 0.5 0 0 0 0 0 0 1 -360 360];
`);
    const r = solvePowerFlow(net);
    const theta = (r.vaDeg[1] * Math.PI) / 180;
    expect(r.vm[1]).toBeCloseTo(Math.cos(theta), 9);
    expect((r.vm[1] * Math.sin(-theta)) / 0.5).toBeCloseTo(0.4, 9);
    expect(r.lossPMw).toBeCloseTo(0, 12);
  });
});
