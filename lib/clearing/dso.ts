import type { Network } from "../grid/types";
import {
  buildLightModel,
  computeSensitivities,
  type DEFAULT_LIMITS,
  encodeOperatingPoint,
  flexLocations,
  presetOperatingPoints,
  type FlexLocation,
  type LightModel,
  type LightModelKey,
  type OperatingPointSpec,
  type SensitivityModel,
  type SensitivityOptions,
} from "../sensitivity";

/**
 * The DSO's private side of a clearing: its grid, the sensitivity model and the key
 * from opaque ids back to elements. Only `lightModel` ever goes to the TSO.
 */
export interface DsoContext {
  net: Network;
  locations: FlexLocation[];
  model: SensitivityModel;
  key: LightModelKey;
  reactive: boolean;
}

export interface PrepareOptions {
  operatingPoints?: string[] | OperatingPointSpec[];
  reactive?: boolean;
  limits?: Partial<typeof DEFAULT_LIMITS>;
  /** Fixes the opaque ids (deterministic CLI runs); random otherwise. */
  salt?: string;
  /** Monitor only elements that can reach a limit over the offered box (see SensitivityOptions.screen). */
  screen?: SensitivityOptions["screen"];
  onProgress?: (done: number, total: number, stage: string) => void;
}

export function prepareDso(net: Network, opts: PrepareOptions = {}): { dso: DsoContext; lightModel: LightModel } {
  const locations = flexLocations(net);
  if (locations.length === 0) throw new Error("the grid has no flexibility locations");
  const ops = opts.operatingPoints ?? ["none", "half", "all"];
  const specs: OperatingPointSpec[] = ops.length && typeof ops[0] === "string" ? presetOperatingPoints(locations, ops as string[]) : (ops as OperatingPointSpec[]);
  const reactive = opts.reactive ?? true;
  const model = computeSensitivities(net, locations, specs, { reactive, screen: opts.screen, onProgress: opts.onProgress });
  const failed = model.points.filter((p) => !p.converged);
  if (failed.length) {
    throw new Error(`the AC power flow did not converge at operating point(s) ${failed.map((p) => `'${p.id}': ${p.message}`).join("; ")}`);
  }
  const { lightModel, key } = buildLightModel(model, { salt: opts.salt, limits: opts.limits });
  return { dso: { net, locations, model, key, reactive }, lightModel };
}

/**
 * Re-linearize at a new operating point (e.g. a dispatched point) and append it to
 * both the DSO's model and the light model, under the existing opaque ids.
 */
export function addOperatingPoint(dso: DsoContext, lm: LightModel, spec: { label: string; locationMw: ArrayLike<number>; locationMvar: ArrayLike<number> }): LightModel {
  // The light model's location order -> the DSO model's order.
  const pos = new Map(dso.locations.map((l, k) => [l.bus, k]));
  const p = new Float64Array(dso.locations.length);
  const q = new Float64Array(dso.locations.length);
  dso.key.locations.forEach((l, i) => {
    const k = pos.get(l.bus)!;
    p[k] += spec.locationMw[i];
    q[k] += spec.locationMvar[i];
  });
  const id = `op-${lm.operatingPoints.length}`;
  const one = computeSensitivities(dso.net, dso.locations, [{ id, label: spec.label, pFlexMw: p, qFlexMvar: q }], {
    reactive: dso.reactive,
    monitoredBuses: dso.model.monitoredBuses,
    monitoredBranches: dso.model.monitoredBranches,
  });
  const point = one.points[0];
  if (!point.converged) throw new Error(`the AC power flow at the dispatched point did not converge: ${point.message}`);
  dso.model.points.push(point);
  return { ...lm, operatingPoints: [...lm.operatingPoints, encodeOperatingPoint(point, dso.model, dso.key, id, dso.reactive)] };
}

/**
 * The DSO context of a stored light model (grid, key, model) without recomputing its
 * operating points: enough to re-linearize at new points under the same opaque ids
 * (addOperatingPoint) and to validate dispatches.
 */
export function restoreDso(net: Network, key: LightModelKey, lm: LightModel): DsoContext {
  const locations = flexLocations(net);
  return {
    net,
    locations,
    key,
    reactive: lm.reactive,
    model: {
      locations,
      monitoredBuses: key.buses.map((b) => b.bus),
      monitoredBranches: key.branches.map((b) => b.branch),
      points: [],
      strategy: "columns",
      computeMs: 0,
    },
  };
}
