import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import type { Network } from "../grid/types";
import { solvePowerFlow } from "../powerflow";
import { convexHull } from "../regions/polygon";
import { parsePublishedRegion, publishPqRegion } from "../regions/published";
import { readSharedCase } from "../testing/shared";
import { mulberry32 } from "../util/mulberry32";
import { solveCentralized } from "./centralized";
import { PolyBuilder, polyDerivs, type Poly } from "./poly";
import { readCsvRows } from "../util/csv";
import { runStudy, studyCsv, type StudyReport, type StudyMethodReport, type StudySystemReport } from "./report";
import { pqvMargin } from "./represent";
import { fromPublished, polygonHalfPlanes } from "./representation";
import { buildStudy, type FeederCase } from "./study";

const load = (name: string): Network => parseMatpowerCase(readSharedCase(name));
const feeders = (): Record<FeederCase, Network> => ({ case10ba: load("case10ba"), case33mg: load("case33mg"), case118zh: load("case118zh") });

describe("polynomials of the exchange", () => {
  it("value, gradient and Hessian agree with central differences (relative 1e-6: h = 1e-5 of the scale, error O(h²))", () => {
    const r = mulberry32(5);
    const exps: number[][] = [];
    for (let a = 0; a <= 3; a++) for (let b = 0; a + b <= 3; b++) for (let c = 0; a + b + c <= 3; c++) exps.push([a, b, c]);
    const poly: Poly = { exps, coeffs: exps.map(() => r() * 2 - 1), centre: [12, -3, 1.01], scale: [4, 2, 0.05] };
    const grad = new Float64Array(3);
    const hess = new Float64Array(6);
    for (let t = 0; t < 10; t++) {
      const x = [12 + 4 * (r() * 2 - 1), -3 + 2 * (r() * 2 - 1), 1.01 + 0.05 * (r() * 2 - 1)];
      polyDerivs(poly, x, grad, hess);
      for (let i = 0; i < 3; i++) {
        const h = 1e-5 * poly.scale[i];
        const xp = [...x];
        const xm = [...x];
        xp[i] += h;
        xm[i] -= h;
        const fd = (polyDerivs(poly, xp) - polyDerivs(poly, xm)) / (2 * h);
        expect(Math.abs(fd - grad[i])).toBeLessThan(1e-6 * (1 + Math.abs(grad[i])));
        const gp = new Float64Array(3);
        const gm = new Float64Array(3);
        polyDerivs(poly, xp, gp);
        polyDerivs(poly, xm, gm);
        for (let j = 0; j <= i; j++) {
          const fdh = (gp[j] - gm[j]) / (2 * h);
          const an = hess[(i * (i + 1)) / 2 + j];
          expect(Math.abs(fdh - an)).toBeLessThan(1e-6 * (1 + Math.abs(an)));
        }
      }
    }
  });

  it("builds products and sums of affine terms, and evaluates them in a normalized frame", () => {
    // (2p + q − 1)·(p − q) + 3 = 2p² − pq − q² − p + q + 3
    const a = PolyBuilder.affine([2, 1], -1);
    const b = PolyBuilder.affine([1, -1], 0);
    const p = a.times(b).plus(PolyBuilder.constant(2, 3)).build();
    for (const [x, y] of [
      [1.5, -2],
      [0, 0],
      [-3, 0.25],
    ])
      expect(polyDerivs(p, [x, y])).toBeCloseTo(2 * x * x - x * y - y * y - x + y + 3, 12);
    // In a normalized frame: the same polynomial of x̃ = (x − c)/s, evaluated in physical units.
    const norm: Poly = { ...p, centre: [10, -1], scale: [2, 0.5] };
    const [x, y] = [11, -0.75];
    const [u, w] = [(x - 10) / 2, (y + 1) / 0.5];
    expect(polyDerivs(norm, [x, y])).toBeCloseTo(2 * u * u - u * w - w * w - u + w + 3, 12);
  });
});

describe("a region's half-planes", () => {
  it("hold an inner convex region where the boundary has a dent (the hull's chord moves to the dent's deepest point)", () => {
    // A square with a dent in its right edge down to x = 0.8.
    const poly: [number, number][] = [
      [0, 0],
      [1, 0],
      [0.9, 0.25],
      [0.8, 0.5],
      [0.9, 0.75],
      [1, 1],
      [0, 1],
    ];
    const planes = polygonHalfPlanes(poly);
    const inside = (x: number, y: number) => planes.every((h) => h.a * x + h.b * y <= h.c + 1e-12);
    expect(inside(0.8, 0.5)).toBe(true);
    expect(inside(0.85, 0.5)).toBe(false);
    expect(inside(0.5, 0.5)).toBe(true);
    // A convex boundary keeps its hull.
    const square: [number, number][] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    expect(polygonHalfPlanes(square)).toHaveLength(convexHull(square).length);
    expect(polygonHalfPlanes(square).every((h) => Math.abs(h.a * 1 + h.b * 1 - h.c) < 1e-12 || Math.abs(h.a * 0 + h.b * 0 - h.c) < 1e-12)).toBe(true);
  });

  it("a published PQ region with its cost reads back as the TSO's representation; one without a cost is refused by name", () => {
    const pcc = { pMinMw: -5, pMaxMw: 5, qMinMvar: -5, qMaxMvar: 5, vmPu: 1 } as Parameters<typeof publishPqRegion>[0];
    const polygon: [number, number][] = [
      [0, 0],
      [2, 0],
      [2, 1],
      [0, 1],
    ];
    const cost = {
      basis: "ac-fit" as const,
      exponents: [
        [0, 0],
        [1, 0],
        [2, 0],
      ] as [number, number][],
      coefficients: [1, 2, 0.5],
      r2: 0.99,
    };
    const pub = parsePublishedRegion(JSON.parse(JSON.stringify(publishPqRegion(pcc, "exact", polygon, 2, { costModel: cost }))));
    const rep = fromPublished(pub);
    expect(rep.box).toEqual({ pMin: 0, pMax: 2, qMin: 0, qMax: 1 });
    expect(rep.halfPlanes).toHaveLength(4);
    expect(polyDerivs(rep.cost, [1.5, 0.3])).toBeCloseTo(1 + 2 * 1.5 + 0.5 * 1.5 ** 2, 12);
    const bare = parsePublishedRegion(JSON.parse(JSON.stringify(publishPqRegion(pcc, "exact", polygon, 2))));
    expect(() => fromPublished(bare)).toThrow(/carries no cost model/);
  });
});

describe("the 29-feeder study (paper 000 section IV-B)", () => {
  it("attaches 9 case10ba, 16 case33mg and 4 case118zh to case30 by demand, loads at most the bus's, DER costs 1.5 → 5 $/MWh", () => {
    const ts = load("case30");
    const study = buildStudy(ts, feeders());
    const count = (f: FeederCase) => study.systems.filter((s) => s.feeder === f).length;
    expect([count("case10ba"), count("case33mg"), count("case118zh")]).toEqual([9, 16, 4]);
    for (const s of study.systems) {
      const bus = ts.buses.find((b) => b.id === s.tsBus)!;
      const pd = s.net.buses.reduce((a, b) => a + b.pdMw, 0) + s.net.loads.reduce((a, l) => a + l.pMw, 0);
      if (bus.pdMw > 0) expect(pd).toBeLessThanOrEqual(bus.pdMw + 1e-9);
      expect(s.feeder).toBe(bus.pdMw > 15 ? "case118zh" : bus.pdMw >= 5 ? "case10ba" : "case33mg");
    }
    expect(study.systems[0].der.cost!.coeffs[1]).toBeCloseTo(1.5, 12);
    expect(study.systems.at(-1)!.der.cost!.coeffs[1]).toBeCloseTo(5, 12);
  });

  it("the centralized AC-OPF of the integrated system is optimal, and each feeder's exchange is its own AC power flow's (1e-3 MW: 1e-5 p.u. on the 100 MVA base, above the IPM's feasibility tolerance)", () => {
    const study = buildStudy(load("case30"), feeders());
    const c = solveCentralized(study, "power");
    expect(c.status).toBe("optimal");
    expect(c.buses).toBeGreaterThan(1100);
    // The exchange the transmission side sees (the link) is what the feeder with its DER's dispatch draws.
    for (const k of [0, 5, 20]) {
      const s = study.systems[k];
      const r = c.systems[k];
      const der = s.net.buses.findIndex((b) => b.id === s.der.bus);
      const net: Network = { ...s.net, buses: s.net.buses.map((b, i) => (i === der ? { ...b, pdMw: b.pdMw - r.derPMw, qdMvar: b.qdMvar - r.derQMvar } : b)) };
      const pf = solvePowerFlow(net, { tol: 1e-10 });
      expect(pf.converged).toBe(true);
      expect(Math.abs(pf.slackPMw - r.pMw)).toBeLessThan(1e-5 * 100);
      expect(Math.abs(pf.slackQMvar - r.qMvar)).toBeLessThan(1e-5 * 100);
    }
    const v = solveCentralized(study, "voltage");
    expect(v.status).toBe("optimal");
  });

  it("three feeders (case33mg, case10ba, case118zh): exact regions land within 0.1 % of f* without violation; loss compensation beats LinDistFlow", async () => {
    const study = buildStudy(load("case30"), feeders(), { buses: [3, 4, 7] });
    const r = await runStudy(study, { methods: ["lds", "slc", "exact"] });
    expect(r.centralized.status).toBe("optimal");
    const by = Object.fromEntries(r.methods.map((m) => [m.method, m]));
    for (const m of r.methods) expect(m.status).toBe("optimal");
    expect(Math.abs(by.exact.costDeviationPct)).toBeLessThan(0.1);
    // Coordination over an inner region can only cost more than the optimum (up to the IPM's tolerance).
    expect(by.exact.objective).toBeGreaterThan(r.centralized.objective * (1 - 1e-7));
    expect(by.exact.violations).toEqual({ voltage: 0, p: 0, q: 0, branch: 0 });
    expect(Math.abs(by.slc.costDeviationPct)).toBeLessThan(Math.abs(by.lds.costDeviationPct));
    const total = (m: (typeof r.methods)[number]) => Object.values(m.violations).reduce((a, b) => a + b, 0);
    expect(total(by.slc)).toBeLessThan(total(by.lds));
    // U_SLC mapped with each dispatch's AC losses: the set-points lie in the real region.
    expect(by.slc.violations).toEqual({ voltage: 0, p: 0, q: 0, branch: 0 });
    expect(r.distributionSystems).toHaveLength(9);
    const csv = studyCsv(r);
    expect(csv.split("\n")[0]).toMatch(/^method,ts_bus,case,pcc_p_mw/);
    expect(csv.trim().split("\n")).toHaveLength(1 + 9 + 3);
  }, 120_000);

  it("PQV on the same three feeders: the TSO's OPF over the inner polytopes is optimal, within 0.1 % of the voltage-coupled f*, without violation; the polynomial alone still solves", async () => {
    const study = buildStudy(load("case30"), feeders(), { buses: [3, 4, 7] });
    const r = await runStudy(study, { methods: ["pqv"] });
    expect(r.centralizedVoltage?.status).toBe("optimal");
    const m = r.methods[0];
    expect(m.status).toBe("optimal");
    expect(m.reference).toBe("voltage");
    console.log(`PQV on 3 feeders: ${m.costDeviationPct.toFixed(4)} % of the voltage-coupled f*, violations ${JSON.stringify(m.violations)}`);
    // Paper 002 reports at most 0.058 %; the inner polytope stays within the 0.1 %, and,
    // being inside the real regions, costs no less than f* (to the IPM's 1e-7).
    expect(Math.abs(m.costDeviationPct)).toBeLessThan(0.1);
    expect(m.objective).toBeGreaterThan(r.centralizedVoltage!.objective * (1 - 1e-7));
    // Every set-point is an exchange the feeder holds within all its limits.
    expect(m.violations).toEqual({ voltage: 0, p: 0, q: 0, branch: 0 });
    const polyOnly = (await runStudy(study, { methods: ["pqv"], pqvHull: false })).methods[0];
    console.log(`PQV polynomial alone (paper 002) on 3 feeders: ${polyOnly.costDeviationPct.toFixed(4)} %, violations ${JSON.stringify(polyOnly.violations)}`);
    expect(polyOnly.status).toBe("optimal");
    for (const d of r.distributionSystems) {
      expect(d.pccVPu).toBeGreaterThanOrEqual(0.95 - 1e-6);
      expect(d.pccVPu).toBeLessThanOrEqual(1.05 + 1e-6);
    }
  }, 120_000);
});

describe("the PQV polynomial's conservative margin", () => {
  it("is the most negative f at a boundary point, so every boundary point is on or outside the shifted f = 0", () => {
    const sphere: Poly = {
      exps: [
        [2, 0, 0],
        [0, 2, 0],
        [0, 0, 2],
        [0, 0, 0],
      ],
      coeffs: [1, 1, 1, -1],
      centre: [0, 0, 1],
      scale: [1, 1, 1],
    };
    const pts = [0.9, 1, 1.1].map((r) => ({ pMw: r, qMvar: 0, vPu: 1 }));
    expect(pqvMargin(sphere, pts)).toBeCloseTo(1 - 0.81, 12);
    expect(pqvMargin(sphere, [{ pMw: 1.2, qMvar: 0, vPu: 1 }])).toBe(0);
  });
});

describe("study CSV", () => {
  it("reads back a case name with a comma, quotes and a line break, with a BOM and CRLF line ends", () => {
    const violations = { voltage: 1, p: 0, q: 2, branch: 0 };
    const system = {
      method: "slc",
      tsBus: 7,
      case: 'feeder "b", 33\nbuses',
      pccPMW: 1.5,
      pccQMVAr: -0.25,
      pccVPu: 1.01,
      costDeviationPct: -0.125,
      violations,
      postStatus: "optimal",
    } as StudySystemReport;
    const method = { method: "slc", costDeviationPct: Infinity, violations, status: "failed" } as StudyMethodReport;
    const report = { distributionSystems: [system], methods: [method] } as StudyReport;
    const rows: string[][] = [];
    readCsvRows(`\uFEFF${studyCsv(report).replace(/\n/g, "\r\n")}`, (r) => rows.push(r.cells));
    expect(rows).toEqual([
      ["method", "ts_bus", "case", "pcc_p_mw", "pcc_q_mvar", "pcc_v_pu", "cost_deviation_pct", "violations_voltage", "violations_p", "violations_q", "violations_branch", "post_status"],
      ["slc", "7", 'feeder "b", 33\nbuses', "1.500000", "-0.250000", "1.010000", "-0.125000", "1", "0", "2", "0", "optimal"],
      ["slc", "total", "", "", "", "", "", "1", "0", "2", "0", "failed"],
    ]);
  });
});
