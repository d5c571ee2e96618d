import type { Network } from "../grid/types";
import { traceExactRegion, type ExactRegionOptions, type TaskRunner } from "../regions/exact";
import { buildLinDistFlow } from "../regions/lindistflow";
import { localRunner } from "../regions/local-runner";
import { acCompensation, buildLossModel, compensatedBoundary } from "../regions/loss";
import { area, type Point } from "../regions/polygon";
import { computePqvRegion } from "../regions/pqv";
import { buildRegionProblem, type FlexUnit, type RegionProblem } from "../regions/units";
import { buildPqvProblem } from "../regions/pqv/problem";
import { polyDerivs, type Poly } from "./poly";
import { fitPricedOutcomes, pricingTasks } from "./pricing";
import { balanceCost, CoordinationInputError, polygonHalfPlanes, pqvCostPoly, type CoordMethod, type DsRepresentation } from "./representation";

/**
 * A DSO's side of the coordination before it (offline): the region of each method and the
 * cost of the exchange that goes with it — LinDistFlow's lossless balance for U_LDS, the
 * loss-compensated balance for U_SLC, a quadratic fitted to AC-OPF least costs inside the
 * exact region, and the PQV region's own quadratic cost.
 */
export interface Represented {
  rep: DsRepresentation;
  /** Region construction time (ms), AC-OPF solves it took, the region's size. */
  regionMs: number;
  opfSolves: number;
  areaMW2: number | null;
  /** Fit quality of an AC-fitted cost (R², RMSE $/h), else null. */
  costFit: { r2: number; rmse: number } | null;
  /** PQV: the polynomial's held-out error and its AC-checked accuracy. */
  pqvFit?: { degree: number; heldOutError: number; accuracy: number; signAccuracy: number };
}

export interface RepresentOptions {
  units?: FlexUnit[];
  exact?: ExactRegionOptions;
  pqvDirections?: number;
  pqvDegrees?: number[];
  vRange?: [number, number];
  runner?: (problem: RegionProblem) => TaskRunner;
  /** PQV: shift the polynomial so that every traced boundary point is on or outside f = 0 (default false: paper 002's fit as it is). */
  pqvMargin?: boolean;
  /** PQV: publish the inner polytope (the hull of the AC-OPF boundary points; default true). False: the polynomial alone, as paper 002. */
  pqvHull?: boolean;
}

/**
 * The conservative margin of a PQV polynomial: the most negative f at a traced boundary
 * point. f ≤ −margin then leaves out every point the AC-OPF found on the boundary, where
 * the fit of f ≤ 0 bulges past the region's flat faces (a unit's P limit) and the TSO's
 * optimum sits.
 */
export function pqvMargin(poly: Poly, boundary: { pMw: number; qMvar: number; vPu: number }[]): number {
  let m = 0;
  for (const b of boundary) m = Math.max(m, -polyDerivs(poly, [b.pMw, b.qMvar, b.vPu]));
  return m;
}

export function pqProblem(net: Network, units?: FlexUnit[]): RegionProblem {
  return buildRegionProblem(net, units ? { unitList: units } : {});
}

export function pqvProblem(net: Network, units?: FlexUnit[], vRange?: [number, number]): RegionProblem {
  return buildPqvProblem(net, { ...(units ? { unitList: units } : {}), ...(vRange ? { vRange } : {}) });
}

export async function represent(net: Network, method: CoordMethod, opts: RepresentOptions = {}): Promise<Represented> {
  const t0 = performance.now();
  if (method === "pqv") {
    const problem = pqvProblem(net, opts.units, opts.vRange);
    const runner = opts.runner?.(problem) ?? localRunner(problem);
    try {
      const r = await computePqvRegion(net, { unitList: opts.units, vRange: opts.vRange, directions: opts.pqvDirections, degrees: opts.pqvDegrees, runner });
      const p = r.polynomial;
      const box = r.trace.box;
      const vRange = problem.vRange!;
      const polynomial = { exps: p.exponents, coeffs: [...p.coefficients], centre: [...p.center], scale: [...p.scale] };
      const margin = !opts.pqvMargin ? 0 : pqvMargin(polynomial, r.trace.boundary);
      const k0 = polynomial.exps.findIndex((e) => e.every((x) => x === 0));
      polynomial.coeffs[k0] += margin;
      return {
        rep: {
          method,
          box: { pMin: box.min[0], pMax: box.max[0], qMin: box.min[1], qMax: box.max[1], vMin: Math.max(box.min[2], vRange[0]), vMax: Math.min(box.max[2], vRange[1]) },
          halfPlanes: [],
          polynomial,
          hullPlanes: opts.pqvHull === false ? [] : r.hull.planes,
          cost: pqvCostPoly(r.costModel.coefficients),
          costBasis: "ac-fit",
        },
        regionMs: performance.now() - t0,
        opfSolves: r.opfSolves,
        areaMW2: null,
        costFit: { r2: r.costModel.r2, rmse: r.costModel.rmse },
        pqvFit: { degree: r.fit.degree, heldOutError: r.fit.heldOutError, accuracy: r.fit.accuracy, signAccuracy: r.fit.signAccuracy },
      };
    } finally {
      runner.dispose?.();
    }
  }
  const problem = pqProblem(net, opts.units);
  if (method === "lds" || method === "slc") {
    const lds = buildLinDistFlow(problem);
    let polygon: Point[] = lds.polygon.vertices;
    let loss = null;
    if (method === "slc") {
      loss = buildLossModel(problem, lds);
      polygon = compensatedBoundary(acCompensation(problem, lds), polygon, problem.pcc).polygon;
    }
    if (polygon.length < 3) throw new CoordinationInputError(`${net.name}: the ${method === "lds" ? "LinDistFlow" : "loss-compensated"} region is empty`);
    return {
      rep: {
        method,
        box: boxOf(polygon),
        halfPlanes: polygonHalfPlanes(polygon),
        polynomial: null,
        cost: balanceCost(problem, loss),
        costBasis: loss ? "loss-compensated-balance" : "lossless-balance",
      },
      regionMs: performance.now() - t0,
      opfSolves: 0,
      areaMW2: area(polygon),
      costFit: null,
    };
  }
  const runner = opts.runner?.(problem) ?? localRunner(problem);
  try {
    const exact = await traceExactRegion(problem, runner, opts.exact);
    if (exact.polygon.length < 3) throw new CoordinationInputError(`${net.name}: the exact region is empty (${exact.failures[0]?.message ?? "no boundary point"})`);
    const { fit, solves } = await priceRegion(problem, exact.polygon, runner);
    return {
      rep: { method, box: boxOf(exact.polygon), halfPlanes: polygonHalfPlanes(exact.polygon), polynomial: null, cost: fit.poly, costBasis: "ac-fit" },
      regionMs: performance.now() - t0,
      opfSolves: exact.opfSolves + solves,
      areaMW2: area(exact.polygon),
      costFit: { r2: fit.r2, rmse: fit.rmse },
    };
  } finally {
    runner.dispose?.();
  }
}

/**
 * The DSO's least cost inside its exact region, by AC-OPF at fixed exchange: 16 directions
 * from the centroid at 95 %, 70 % and 40 % of the way to the boundary and the centroid
 * itself (49 points), and the quadratic fitted to them.
 */
async function priceRegion(problem: RegionProblem, polygon: Point[], runner: TaskRunner) {
  const outcomes = await runner.run(pricingTasks(polygon, problem.pcc.vmPu));
  return { fit: fitPricedOutcomes(outcomes), solves: outcomes.reduce((s, o) => s + o.solves, 0) };
}

function boxOf(polygon: Point[]) {
  return {
    pMin: Math.min(...polygon.map((p) => p[0])),
    pMax: Math.max(...polygon.map((p) => p[0])),
    qMin: Math.min(...polygon.map((p) => p[1])),
    qMax: Math.max(...polygon.map((p) => p[1])),
  };
}
