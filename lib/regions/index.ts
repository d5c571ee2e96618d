import type { Network } from "../grid/types";
import { closeTies } from "../powerflow";
import { acCheck, compareRegion, type RegionComparison } from "./compare";
import { traceExactRegion, type ExactRegion, type ExactRegionOptions, type TaskRunner } from "./exact";
import { localRunner } from "./local-runner";
import { buildLinDistFlow, type LinearRow } from "./lindistflow";
import { acCompensation, buildLossModel, compensatedBoundary, type LossModel } from "./loss";
import { area, type Point } from "./polygon";
import { buildRegionProblem, type FlexUnit, type RegionProblem, type RegionProblemOptions } from "./units";

export { buildRegionProblem, RegionInputError, type FlexUnit, type RegionProblem, type UnitSource } from "./units";
export { buildLinDistFlow, type LinearRow } from "./lindistflow";
export { buildLossModel, evalLoss, type LossModel } from "./loss";
export type { ExactRegion, ExactRegionOptions, TaskRunner } from "./exact";
export { boundaryDer, describeTask, ExactRegionSolver, regionNetwork, type BoundaryPoint, type LimitKind, type RegionTask, type TaskOutcome, type Frame } from "./exact-solver";
export { acCheck, compareRegion, type RegionComparison } from "./compare";
export type { Point } from "./polygon";

export type RegionMethod = "lds" | "slc" | "exact";

export interface PqRegionOptions extends RegionProblemOptions {
  /** Close every out-of-service branch first (meshed variant; LinDistFlow then does not apply). */
  closeTies?: boolean;
  exact?: ExactRegionOptions;
  /** Where the exact region's OPFs run (default: this thread). */
  runner?: TaskRunner;
}

/** The three regions of paper 000 side by side, and how the approximations compare with the exact one. */
export interface PqRegions {
  problem: RegionProblem;
  lds: { polygon: Point[]; areaMW2: number; halfSpaces: LinearRow[]; computeMs: number } | null;
  slc: { polygon: Point[]; areaMW2: number; lossModel: LossModel; perEdge: number; computeMs: number } | null;
  exact: (ExactRegion & { computeMs: number }) | null;
  /** Why LinDistFlow does not apply (meshed grid), when it does not. */
  linDistFlowNote: string | null;
  comparison: RegionComparison[];
}

/**
 * The requested regions of a grid's PCC: U_LDS (eq. 9–10), U_SLC (eq. 11–13; its boundary
 * mapped with each dispatch's losses by AC power flow, the quadratic model kept for the
 * report and the cost, see acCompensation) and the
 * exact region (AC-OPF), with the comparison of each approximation against the exact one
 * (IoU, Hausdorff distance, AC-infeasible share) when the exact one is computed too.
 */
export async function computePqRegions(net: Network, methods: RegionMethod[], opts: PqRegionOptions = {}): Promise<PqRegions> {
  const grid = opts.closeTies ? closeTies(net) : net;
  const problem = buildRegionProblem(grid, opts);
  const out: PqRegions = { problem, lds: null, slc: null, exact: null, linDistFlowNote: null, comparison: [] };
  if (methods.includes("lds") || methods.includes("slc")) {
    const t0 = performance.now();
    let model: ReturnType<typeof buildLinDistFlow> | null = null;
    try {
      model = buildLinDistFlow(problem);
    } catch (e) {
      if (!(e instanceof Error) || e.name !== "RegionInputError") throw e;
      out.linDistFlowNote = e.message;
    }
    if (model) {
      const polygon = model.polygon.vertices;
      const edges = new Set(model.polygon.edgeLabels.filter((l) => l >= 0));
      const halfSpaces = model.rows.filter((r, k) => edges.has(k) || r.kind.startsWith("pcc-"));
      out.lds = { polygon, areaMW2: area(polygon), halfSpaces, computeMs: performance.now() - t0 };
      if (methods.includes("slc")) {
        const t1 = performance.now();
        const lossModel = buildLossModel(problem, model);
        const slc = compensatedBoundary(acCompensation(problem, model), polygon, problem.pcc);
        out.slc = { polygon: slc.polygon, areaMW2: area(slc.polygon), lossModel, perEdge: slc.perEdge, computeMs: performance.now() - t1 + out.lds.computeMs };
      }
    }
  }
  if (methods.includes("exact")) {
    const t0 = performance.now();
    const runner = opts.runner ?? localRunner(problem);
    const exact = await traceExactRegion(problem, runner, opts.exact);
    out.exact = { ...exact, computeMs: performance.now() - t0 };
    if (out.exact.polygon.length >= 3 && (out.lds || out.slc)) {
      const check = acCheck(problem);
      if (out.lds) out.comparison.push(compareRegion("lds", out.lds.polygon, out.exact.polygon, check));
      if (out.slc) out.comparison.push(compareRegion("slc", out.slc.polygon, out.exact.polygon, check));
    }
  }
  return out;
}

/** The units of a region problem as the CLI and the page list them. */
export function unitSummary(units: FlexUnit[]) {
  return units.map((u) => ({ id: u.id, bus: u.bus, kind: u.kind, pMinMW: u.pMinMw, pMaxMW: u.pMaxMw, qMinMVAr: u.qMinMvar, qMaxMVAr: u.qMaxMvar }));
}
