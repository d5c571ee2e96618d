import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import type { Network } from "../grid/types";
import { toPerUnit } from "../grid/per-unit";
import { solvePowerFlow } from "../powerflow";
import { readSharedCase } from "../testing/shared";
import { mulberry32 } from "../util/mulberry32";
import { buildLinDistFlow, buildLossModel, buildRegionProblem, computePqRegions, evalLoss, regionNetwork, type RegionProblem } from "./index";
import { area, boxPolygon, clipHalfPlane, contains, densify, hausdorff, iou, type Point } from "./polygon";
import { acCompensation, clipToBox } from "./loss";
import { evalAffine } from "./lindistflow";
import { replayBoundaryPoint } from "./regions.fixtures";

const shared = (name: string) => parseMatpowerCase(readSharedCase(name));

describe("polygons", () => {
  it("clips a box by half-planes, keeping which constraint made each edge", () => {
    let poly = boxPolygon(0, 2, 0, 2);
    poly = clipHalfPlane(poly, 1, 1, 3, 7); // p + q ≤ 3 cuts the upper right corner
    expect(area(poly.vertices)).toBeCloseTo(4 - 0.5, 12);
    expect(poly.edgeLabels.filter((l) => l === 7)).toHaveLength(1);
    expect(clipHalfPlane(poly, 1, 0, -1, 8).vertices).toHaveLength(0);
  });

  it("IoU and Hausdorff distance of two offset unit squares (exact: 1/3 and 0.5)", () => {
    const a: Point[] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    const b: Point[] = a.map(([p, q]) => [p + 0.5, q]);
    expect(iou(a, b)).toBeCloseTo(1 / 3, 6);
    expect(hausdorff(a, b)).toBeCloseTo(0.5, 9);
    // A non-convex L shape against its bounding square: 3/4.
    const l: Point[] = [
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
    ];
    expect(
      iou(l, [
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
      ]),
    ).toBeCloseTo(0.75, 6);
    expect(contains(l, [1.5, 1.5])).toBe(false);
  });
});

/**
 * LinDistFlow's eq. (9) solved as written: A x = b − B u with x = [U, P_l, Q_l, p^g, q^g]
 * as a dense system for a small feeder, against the tree-based affine maps.
 */
function denseLinDistFlow(problem: RegionProblem, p: number, q: number) {
  const net = problem.base;
  const pu = toPerUnit(net);
  const base = net.baseMVA;
  const nb = net.buses.length;
  const lines = net.branches.filter((b) => b.inService);
  const nl = lines.length;
  const idx = new Map(net.buses.map((b, i) => [b.id, i]));
  const der = problem.units[0];
  const n = nb + 2 * nl + 2;
  const A = Array.from({ length: n }, () => new Float64Array(n));
  const rhs = new Float64Array(n);
  let r = 0;
  A[r][idx.get(problem.pccBus)!] = 1; // e1ᵀ U = v_pcc²
  rhs[r++] = problem.pcc.vmPu ** 2;
  lines.forEach((br, l) => {
    // (C U)_l − 2 (r P + x Q) = 0 with C = C^f − C^t
    A[r][idx.get(br.from)!] = 1;
    A[r][idx.get(br.to)!] = -1;
    A[r][nb + l] = -2 * br.rPu;
    A[r][nb + nl + l] = -2 * br.xPu;
    rhs[r++] = 0;
  });
  for (const [off, gcol, d, u] of [
    [0, nb + 2 * nl, pu.pd, p / base],
    [nl, nb + 2 * nl + 1, pu.qd, q / base],
  ] as const) {
    for (let i = 0; i < nb; i++) {
      // Bus balance: flows out − flows in + demand − DER − PCC injection = 0.
      lines.forEach((br, l) => {
        if (idx.get(br.from) === i) A[r][nb + off + l] += 1;
        if (idx.get(br.to) === i) A[r][nb + off + l] -= 1;
      });
      if (net.buses[i].id === der.bus) A[r][gcol] = -1;
      rhs[r] = -d[i] + (net.buses[i].id === problem.pccBus ? u : 0);
      r++;
    }
  }
  // Gaussian elimination with partial pivoting.
  const x = Float64Array.from(rhs);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i][k]) > Math.abs(A[piv][k])) piv = i;
    [A[k], A[piv]] = [A[piv], A[k]];
    [x[k], x[piv]] = [x[piv], x[k]];
    for (let i = k + 1; i < n; i++) {
      const f = A[i][k] / A[k][k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) A[i][j] -= f * A[k][j];
      x[i] -= f * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k];
    for (let j = k + 1; j < n; j++) s -= A[k][j] * x[j];
    x[k] = s / A[k][k];
  }
  return { U: x.subarray(0, nb), pg: x[nb + 2 * nl] * base, qg: x[nb + 2 * nl + 1] * base, lines, idx };
}

describe("U_LDS (paper 000 eq. 9–10)", () => {
  it("the tree's affine maps equal A⁻¹(b − Bu) solved densely (case10ba, case33mg; 1e-10)", () => {
    for (const name of ["case10ba", "case33mg"]) {
      const problem = buildRegionProblem(shared(name));
      const lds = buildLinDistFlow(problem);
      const r = mulberry32(4);
      for (let t = 0; t < 5; t++) {
        const p = 5 * r();
        const q = 3 * r();
        const d = denseLinDistFlow(problem, p, q);
        for (let i = 0; i < d.U.length; i++) expect(Math.abs(evalAffine(lds.uSq[i], p, q) - d.U[i])).toBeLessThan(1e-10);
        expect(Math.abs(evalAffine(lds.unitP[0], p, q) - d.pg)).toBeLessThan(1e-9);
        expect(Math.abs(evalAffine(lds.unitQ[0], p, q) - d.qg)).toBeLessThan(1e-9);
      }
    }
  });

  it("its vertices satisfy every half-space, one of them with equality per edge", () => {
    const lds = buildLinDistFlow(buildRegionProblem(shared("case33mg")));
    const v = lds.polygon.vertices;
    expect(v.length).toBeGreaterThanOrEqual(4);
    for (const [p, q] of v) for (const row of lds.rows) expect(row.a * p + row.b * q).toBeLessThanOrEqual(row.c + 1e-9);
    lds.polygon.edgeLabels.forEach((lab, i) => {
      if (lab < 0) return;
      const row = lds.rows[lab];
      for (const [p, q] of [v[i], v[(i + 1) % v.length]]) expect(Math.abs(row.a * p + row.b * q - row.c)).toBeLessThan(1e-9 * (1 + Math.abs(row.c)));
    });
  });

  it("refuses a meshed grid by name", () => {
    const net = shared("case33bw");
    net.branches.forEach((b) => (b.inService = true));
    expect(() => buildLinDistFlow(buildRegionProblem(net))).toThrow(/LinDistFlow applies to radial feeders only: this grid has 37 branches in service for 33 buses/);
  });
});

describe("loss compensation (eq. 11–13)", () => {
  it("the loss quadratic is within 15 % of the AC losses at the centre of U_LDS (case33mg)", () => {
    const problem = buildRegionProblem(shared("case33mg"));
    const lds = buildLinDistFlow(problem);
    const loss = buildLossModel(problem, lds);
    const v = lds.polygon.vertices;
    const c: Point = [v.reduce((s, x) => s + x[0], 0) / v.length, v.reduce((s, x) => s + x[1], 0) / v.length];
    const [lp] = evalLoss(loss, c[0], c[1]);
    // The DER at its LinDistFlow dispatch for u = c, in an AC power flow.
    const pg = evalAffine(lds.unitP[0], c[0], c[1]);
    const qg = evalAffine(lds.unitQ[0], c[0], c[1]);
    const net = withInjection(problem, pg, qg);
    const pf = solvePowerFlow(net);
    expect(pf.converged).toBe(true);
    expect(Math.abs(lp - pf.lossPMw) / pf.lossPMw).toBeLessThan(0.15);
    expect(loss.Hp[0][1]).toBe(loss.Hp[1][0]);
  });
});

function withInjection(problem: RegionProblem, pg: number, qg: number): Network {
  const net = regionNetwork(problem);
  const der = problem.units[0];
  return {
    ...net,
    generators: net.generators.slice(0, 1),
    buses: net.buses.map((b) => (b.id === der.bus ? { ...b, pdMw: b.pdMw - pg, qdMvar: b.qdMvar - qg } : b)),
  };
}

describe("the exact region and the comparison (Fig. 2)", () => {
  for (const name of ["case10ba", "case33mg", "case118zh", "case33bw"]) {
    it(`${name}: every boundary point replays in AC (p, q within 1e-3, voltages within limits); U_SLC beats U_LDS and reaches IoU 0.9`, async () => {
      const r = await computePqRegions(shared(name), ["lds", "slc", "exact"]);
      const ex = r.exact!;
      expect(ex.failures).toEqual([]);
      expect(ex.boundary.length).toBeGreaterThanOrEqual(48);
      for (const b of ex.boundary) {
        const { pf, net } = replayBoundaryPoint(r.problem, b);
        expect(pf.converged).toBe(true);
        expect(Math.abs(pf.slackPMw - b.pMw)).toBeLessThan(1e-3);
        expect(Math.abs(pf.slackQMvar - b.qMvar)).toBeLessThan(1e-3);
        net.buses.forEach((bus, i) => {
          expect(pf.vm[i]).toBeLessThanOrEqual(bus.vmaxPu + 1e-5);
          expect(pf.vm[i]).toBeGreaterThanOrEqual(bus.vminPu - 1e-5);
        });
      }
      const [lds, slc] = r.comparison;
      expect(lds.method).toBe("lds");
      expect(slc.iou).toBeGreaterThan(lds.iou);
      expect(slc.iou).toBeGreaterThanOrEqual(0.9);
      // U_SLC's boundary is sampled to within 0.1 % of its area's limit (here: 2,048 points per edge).
      const ac = acCompensation(r.problem, buildLinDistFlow(r.problem));
      const dense = area(
        clipToBox(
          densify(r.lds!.polygon, 2048).map((u) => ac(u)!),
          r.problem.pcc,
        ),
      );
      console.log(`${name}: IoU U_LDS ${lds.iou.toFixed(3)}, U_SLC ${slc.iou.toFixed(3)}; AC-infeasible share ${lds.acInfeasibleShare.toFixed(3)} / ${slc.acInfeasibleShare.toFixed(3)}`);
      expect(Math.abs(dense - r.slc!.areaMW2)).toBeLessThan(1e-3 * dense);
      expect(slc.acInfeasibleShare).toBeLessThan(lds.acInfeasibleShare + 1e-9);
    });
  }

  it("a meshed grid (case33bw with its ties closed): the exact region, and the reason LinDistFlow does not apply", async () => {
    const r = await computePqRegions(shared("case33bw"), ["lds", "slc", "exact"], { closeTies: true });
    expect(r.lds).toBeNull();
    expect(r.linDistFlowNote).toMatch(/radial feeders only/);
    expect(r.exact!.boundary.length).toBeGreaterThan(20);
    expect(r.exact!.areaMW2).toBeGreaterThan(0);
  });
});
