import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../../grid/matpower";
import type { Network } from "../../grid/types";
import { readSharedCase } from "../../testing/shared";
import { generateDistrict } from "../../district";
import { mulberry32 } from "../../util/mulberry32";
import { replayBoundaryPoint } from "../regions.fixtures";
import { computePqvRegion, evalCost, evalPoly, evalPqvPolynomial, fibonacciDirections, fit3L, parseUnitList, toPhysical } from "./index";

const shared = (name: string) => parseMatpowerCase(readSharedCase(name));
/** The default district (seed 241), meshed through its ties like case533mt_lo when they are closed; its units are its FPUs. */
const grid = (name: string): Network => (name === "district" ? generateDistrict({}).network : shared(name));

describe("Fibonacci directions", () => {
  it("are unit vectors spread evenly: nearest-neighbour distances between 0.5 and 1.5 of the mean spacing √(4π/N) (N = 200)", () => {
    const d = fibonacciDirections(200);
    for (const v of d) expect(Math.hypot(...v)).toBeCloseTo(1, 12);
    const near = d.map((a, i) => Math.min(...d.filter((_, j) => j !== i).map((b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]))));
    const spacing = Math.sqrt((4 * Math.PI) / 200);
    expect(Math.max(...near)).toBeLessThan(1.5 * spacing);
    expect(Math.min(...near)).toBeGreaterThan(0.5 * spacing);
  });
});

describe("3L implicit polynomial fit", () => {
  it("recovers an ellipsoid (degree 2): near zero on it, negative 10 % inside, positive 10 % outside", () => {
    const axes = [1, 0.6, 0.3];
    const pts: [number, number, number][] = [];
    const nrm: [number, number, number][] = [];
    for (const d of fibonacciDirections(150)) {
      const x: [number, number, number] = [d[0] * axes[0], d[1] * axes[1], d[2] * axes[2]];
      const g = [x[0] / axes[0] ** 2, x[1] / axes[1] ** 2, x[2] / axes[2] ** 2];
      const l = Math.hypot(...g);
      pts.push(x);
      nrm.push([g[0] / l, g[1] / l, g[2] / l]);
    }
    // Degree 2 is plain 3L: the offset levels ±c are met in least squares by a quadratic
    // whose gradient varies, so |f| ≪ c = 0.05 on the surface.
    const quadratic = fit3L(pts, nrm, 2);
    // Degree 4 adds the far-field levels (f = t at t = 0.25…1 outside): the surface moves a
    // little (measured |f| ≤ 0.019 on it) and the sign test holds.
    const quartic = fit3L(pts, nrm, 4);
    for (const x of pts) {
      expect(Math.abs(evalPoly(quadratic.coefficients, quadratic.exponents, x))).toBeLessThan(0.02);
      expect(Math.abs(evalPoly(quartic.coefficients, quartic.exponents, x))).toBeLessThan(0.03);
      for (const f of [quadratic, quartic]) {
        expect(evalPoly(f.coefficients, f.exponents, [0.9 * x[0], 0.9 * x[1], 0.9 * x[2]])).toBeLessThan(0);
        expect(evalPoly(f.coefficients, f.exponents, [1.1 * x[0], 1.1 * x[1], 1.1 * x[2]])).toBeGreaterThan(0);
      }
    }
  });

  it("expands a quadratic cost from the normalized frame to physical units exactly", () => {
    const r = mulberry32(8);
    const a = Array.from({ length: 10 }, () => r() * 2 - 1);
    const centre: [number, number, number] = [12, -3, 1.01];
    const scale: [number, number, number] = [4, 2, 0.05];
    const phys = toPhysical(a, centre, scale);
    for (let t = 0; t < 20; t++) {
      const x = [centre[0] + scale[0] * (r() * 2 - 1), centre[1] + scale[1] * (r() * 2 - 1), centre[2] + scale[2] * (r() * 2 - 1)];
      const n = [0, 1, 2].map((k) => (x[k] - centre[k]) / scale[k]);
      const norm = evalCost(a, n[0], n[1], n[2]);
      expect(Math.abs(evalCost(phys, x[0], x[1], x[2]) - norm)).toBeLessThan(1e-9 * (1 + Math.abs(norm)));
    }
  });
});

describe("PQV feasible operating region (paper 002)", () => {
  for (const [name, ties, n] of [
    ["case33bw", false, 200],
    ["case533mt_lo", true, 60],
    ["district", false, 60],
  ] as const) {
    it(`${name}${ties ? " with its ties closed (meshed)" : ""}: boundary points replay in AC, the polynomial separates 10 % in from 10 % out, the cost fits`, async () => {
      const r = await computePqvRegion(grid(name), { closeTies: ties, directions: n });
      expect(r.trace.failures).toEqual([]);
      expect(r.trace.boundary.length).toBeGreaterThanOrEqual(n);
      expect(r.problem.unitSource).toBe(name === "district" ? "fpus" : "default-set");
      for (const b of r.trace.boundary) {
        const { pf, net } = replayBoundaryPoint(r.problem, b, (g) => ({ ...g, vgPu: b.vPu }));
        expect(pf.converged).toBe(true);
        expect(Math.abs(pf.slackPMw - b.pMw)).toBeLessThan(1e-3);
        expect(Math.abs(pf.slackQMvar - b.qMvar)).toBeLessThan(1e-3);
        expect(b.vPu).toBeGreaterThanOrEqual(0.95 - 1e-6);
        expect(b.vPu).toBeLessThanOrEqual(1.05 + 1e-6);
        net.buses.forEach((bus, i) => {
          // The PCC's range is the region's voltage range, not the case's set-point.
          const [lo, hi] = bus.id === r.problem.pccBus ? r.problem.vRange! : [bus.vminPu, bus.vmaxPu];
          expect(pf.vm[i]).toBeLessThanOrEqual(hi + 1e-5);
          expect(pf.vm[i]).toBeGreaterThanOrEqual(lo - 1e-5);
        });
      }
      expect(r.fit.signAccuracy).toBeGreaterThanOrEqual(0.95);
      expect(r.fit.checked.insideFeasible).toBe(r.fit.checked.inside);
      expect(r.degrees.map((d) => d.degree)).toEqual([2, 4, 6]);
      expect(r.fit.heldOutError).toBe(Math.min(...r.degrees.map((d) => d.heldOutError)));
      expect(r.costModel.coefficients).toHaveLength(10);
      expect(r.costModel.r2).toBeGreaterThan(0.9);
      // The published polynomial, evaluated in physical units, is ≈ 0 on the boundary.
      const b0 = r.trace.boundary[0];
      expect(Math.abs(evalPqvPolynomial(r.polynomial, b0.pMw, b0.qMvar, b0.vPu))).toBeLessThan(0.05);
    }, 240_000);
  }

  it("takes the DSO's own unit list, refusing a bad one by field", () => {
    const net = shared("case33bw");
    const units = parseUnitList(JSON.stringify({ units: [{ id: "pv-a", bus: 18, kind: "pv", pMinMW: 0, pMaxMW: 0.3, qMinMVAr: -0.3, qMaxMVAr: 0.3, sMaxMVA: 0.3, cosPhiMin: 0.9 }] }), net);
    expect(units[0].chart.length).toBe(18);
    expect(() => parseUnitList(JSON.stringify({ units: [{ id: "x", bus: 999, pMinMW: 0, pMaxMW: 1, qMinMVAr: 0, qMaxMVAr: 0 }] }), net)).toThrow(/units\[0\]\.bus: bus 999 is not in the grid/);
    expect(() => parseUnitList(JSON.stringify({ units: [{ id: "x", bus: 2, pMinMW: 0, pMaxMW: 1, qMinMVAr: 0, qMaxMVAr: 0, colour: "red" }] }), net)).toThrow(/units\[0\]/);
    expect(() => parseUnitList("{", net)).toThrow(/not JSON/);
  });
});
