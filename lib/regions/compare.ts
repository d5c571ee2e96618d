import { AcExchangeCheck } from "./ac-check";
import { area, contains, hausdorff, iou, type Point } from "./polygon";
import type { RegionProblem } from "./units";

export interface RegionComparison {
  method: "lds" | "slc";
  areaMW2: number;
  /** Intersection over union with the exact region (1 = identical). */
  iou: number;
  /** Hausdorff distance between the boundaries (MW and MVAr taken alike). */
  hausdorff: number;
  /** Share of sample points inside the region that the AC check refuses. */
  acInfeasibleShare: number;
  samples: number;
}

/**
 * Sample points inside a polygon: the centres of a regular grid over its bounding box
 * (about `target` of them land inside), in raster order.
 */
function samplePoints(poly: Point[], target = 200): Point[] {
  if (poly.length < 3) return [];
  const ps = poly.map((p) => p[0]);
  const qs = poly.map((p) => p[1]);
  const p0 = Math.min(...ps);
  const p1 = Math.max(...ps);
  const q0 = Math.min(...qs);
  const q1 = Math.max(...qs);
  const box = (p1 - p0) * (q1 - q0);
  const fill = box > 0 ? area(poly) / box : 1;
  const n = Math.max(4, Math.ceil(Math.sqrt(target / Math.max(fill, 0.05))));
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const pt: Point = [p0 + ((i + 0.5) / n) * (p1 - p0), q0 + ((j + 0.5) / n) * (q1 - q0)];
      if (contains(poly, pt)) out.push(pt);
    }
  }
  return out;
}

/** Area, IoU and Hausdorff distance against the exact region, and the AC-infeasible share. */
export function compareRegion(method: "lds" | "slc", poly: Point[], exact: Point[], check: AcExchangeCheck, samples = 200): RegionComparison {
  const pts = samplePoints(poly, samples);
  const bad = pts.filter((p) => !check.feasible(p)).length;
  return {
    method,
    areaMW2: area(poly),
    iou: exact.length >= 3 && poly.length >= 3 ? iou(poly, exact) : 0,
    hausdorff: exact.length >= 3 && poly.length >= 3 ? hausdorff(poly, exact) : NaN,
    acInfeasibleShare: pts.length ? bad / pts.length : NaN,
    samples: pts.length,
  };
}

export function acCheck(problem: RegionProblem): AcExchangeCheck {
  return new AcExchangeCheck(problem);
}
