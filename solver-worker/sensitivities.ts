import { parseNetworkJson } from "../lib/grid/json";
import type { Network } from "../lib/grid/types";
import {
  buildLightModel,
  computeSensitivities,
  customOperatingPoint,
  describeLightModel,
  flexLocations,
  OPERATING_POINT_PRESETS,
  presetOperatingPoints,
  type FlexLocation,
  type OperatingPointSpec,
  type SensitivityOptions,
} from "../lib/sensitivity";
import type { LightModelOptions, SensitivitiesRequest, SensitivitiesResult, SensitivitiesStage, StageProgress } from "./protocol";

/** The operating points the options ask for, presets first, then the custom ones (validated). */
export function operatingPointSpecs(locs: FlexLocation[], opts: Pick<LightModelOptions, "presets" | "custom">): OperatingPointSpec[] {
  const unknown = opts.presets.find((p) => !OPERATING_POINT_PRESETS.includes(p));
  if (unknown !== undefined) throw new Error(`unknown operating point '${unknown}'; expected some of ${OPERATING_POINT_PRESETS.join(", ")}`);
  const specs = presetOperatingPoints(locs, opts.presets);
  opts.custom.forEach(({ fraction }, k) => {
    if (!Number.isFinite(fraction) || fraction < -1 || fraction > 1) {
      throw new Error(`custom operating point ${k + 1}: the fraction must lie between -1 (all downward) and 1 (all upward), got ${fraction}`);
    }
    const pct = Math.abs(fraction * 100).toFixed(0);
    const label = fraction >= 0 ? `${pct} % of each location's upward offer` : `${pct} % of each location's downward offer`;
    const values = locs.map((l) => (fraction >= 0 ? fraction * l.offeredUpMw : -fraction * l.offeredDownMw));
    specs.push(customOperatingPoint(locs, `custom-${k + 1}`, label, values));
  });
  if (specs.length === 0) throw new Error("choose at least one operating point");
  const ids = new Set<string>();
  for (const s of specs) {
    if (ids.has(s.id)) throw new Error(`operating point '${s.id}' is chosen twice`);
    ids.add(s.id);
  }
  return specs;
}

/** The monitored-element options of computeSensitivities for the DSO's choice. */
function monitorOptions(opts: LightModelOptions): Pick<SensitivityOptions, "restrict" | "screen"> {
  const { limits, margins } = opts;
  if (!(limits.vMinPu < limits.vMaxPu)) throw new Error(`the voltage limits must satisfy min < max, got ${limits.vMinPu} and ${limits.vMaxPu} p.u.`);
  if (!(limits.loadingMaxPct > 0)) throw new Error(`the loading limit must be positive, got ${limits.loadingMaxPct} %`);
  if (!(margins.voltagePu >= 0) || !(margins.loadingPct >= 0)) throw new Error("the margins must be non-negative numbers");
  if (opts.monitor === "near-limits") {
    return { restrict: { voltageMarginPu: margins.voltagePu, loadingMarginPct: margins.loadingPct, vMinPu: limits.vMinPu, vMaxPu: limits.vMaxPu } };
  }
  if (opts.monitor === "screen") {
    return { screen: { vMinPu: limits.vMinPu, vMaxPu: limits.vMaxPu, loadingMaxPct: limits.loadingMaxPct, marginVPu: margins.voltagePu, marginLPct: margins.loadingPct } };
  }
  return {};
}

/**
 * The DSO's light-model job: AC power flows and exact sensitivities at each
 * operating point (lib/sensitivity), then the light model with opaque ids and what
 * crosses the boundary. The DSO's own views (matrices, voltage profiles) come back
 * as typed arrays, transferred.
 */
export function runSensitivities(req: SensitivitiesRequest, progress: (p: StageProgress<SensitivitiesStage>) => void): SensitivitiesResult {
  const t0 = performance.now();
  progress({ stage: "parse", fraction: 0, message: "Reading and validating the network" });
  const net: Network = typeof req.network === "string" ? parseNetworkJson(req.network) : req.network;
  const opts = req.options;
  const locations = flexLocations(net);
  if (locations.length === 0) throw new Error("the grid has no flexibility locations (no flexible units and no PQ bus with load)");
  const specs = operatingPointSpecs(locations, opts);
  const monitor = monitorOptions(opts);

  // Power flows, (screening,) then sensitivities: each step reported once per point, over 5 %..85 %.
  let fraction = 0.05;
  const model = computeSensitivities(net, locations, specs, {
    reactive: opts.reactive,
    ...monitor,
    onProgress: (done, total, what) => {
      const stage: SensitivitiesStage = what.startsWith("power flow") ? "power-flow" : what.startsWith("screening") ? "screening" : "sensitivities";
      fraction = Math.min(0.85, Math.max(fraction, 0.05 + (0.8 * done) / total));
      progress({ stage, fraction, message: what.charAt(0).toUpperCase() + what.slice(1) });
    },
  });

  progress({ stage: "light-model", fraction: 0.85, message: "Encoding the light model with opaque ids" });
  // What "all" would monitor: energized PQ buses and in-service rated branches between energized buses.
  const first = model.points[0].pf;
  const energized = new Set<number>();
  first.busIds.forEach((id, i) => {
    if (first.vm[i] > 0) energized.add(id);
  });
  const candidateBuses = net.buses.filter((b) => b.type === "PQ" && energized.has(b.id)).length;
  const candidateBranches = net.branches.filter((b, l) => b.inService && Number.isFinite(first.loadingPct[l]) && energized.has(b.from) && energized.has(b.to)).length;

  const failed = model.points.filter((p) => !p.converged);
  let lightModel: SensitivitiesResult["lightModel"] = null;
  let failure: string | null = null;
  if (failed.length) {
    failure = `the AC power flow did not converge at ${failed.map((p) => `'${p.label}' (${p.message})`).join(", ")}; a light model needs every operating point`;
  } else {
    const built = buildLightModel(model, { limits: { vMinPu: opts.limits.vMinPu, vMaxPu: opts.limits.vMaxPu, loadingMinPct: -opts.limits.loadingMaxPct, loadingMaxPct: opts.limits.loadingMaxPct } });
    const json = JSON.stringify(built.lightModel);
    lightModel = {
      modelId: built.lightModel.modelId,
      json,
      keyJson: JSON.stringify(built.key),
      sizeBytes: new TextEncoder().encode(json).length,
      boundary: describeLightModel(built.lightModel),
    };
  }

  const sum = (v: Float64Array, f: (x: number) => boolean) => v.reduce((s, x) => (f(x) ? s + x : s), 0);
  return {
    summary: {
      networkName: net.name,
      locations: locations.length,
      monitoredBuses: model.monitoredBuses.length,
      monitoredBranches: model.monitoredBranches.length,
      candidateBuses,
      candidateBranches,
      reactive: opts.reactive,
      monitor: opts.monitor,
      strategy: model.strategy,
      computeMs: model.computeMs,
      workerMs: performance.now() - t0,
    },
    points: model.points.map((p) => ({
      id: p.id,
      label: p.label,
      converged: p.converged,
      message: p.message,
      vmMin: p.vmMin,
      vmMax: p.vmMax,
      maxLoadingPct: p.maxLoadingPct,
      flexMw: sum(p.pFlexMw, () => true),
      flexUpMw: sum(p.pFlexMw, (x) => x > 0),
      flexDownMw: sum(p.pFlexMw, (x) => x < 0),
    })),
    locationBusIds: Int32Array.from(locations, (l) => l.bus),
    monitoredBusIds: Int32Array.from(model.monitoredBuses),
    monitoredBranchIds: model.monitoredBranches,
    matrices: model.points.map((p) => ({ vtdf: p.vtdf, ltdf: p.ltdf, vtdfQ: p.vtdfQ ?? null, ltdfQ: p.ltdfQ ?? null })),
    // Copies: the power flow results share their bus-id array with the solver.
    profiles: { busIds: Int32Array.from(first.busIds), vmPu: model.points.map((p) => Float64Array.from(p.pf.vm)) },
    lightModel,
    failure,
  };
}
