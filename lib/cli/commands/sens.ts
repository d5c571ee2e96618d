import type { Network } from "../../grid";
import { closeTies } from "../../powerflow";
import { computeSensitivities, flexLocations, OPERATING_POINT_PRESETS, presetOperatingPoints, voronoiAccuracy, type SensitivityModel } from "../../sensitivity";
import { numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";
import { DISTRICT_OPTIONS, loadDistrictNetwork } from "./district-source";

function nested(flat: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from(flat.subarray(r * cols, (r + 1) * cols)));
  return out;
}

function sensitivityJson(model: SensitivityModel, reactive: boolean) {
  const nLoc = model.locations.length;
  const nB = model.monitoredBuses.length;
  const nL = model.monitoredBranches.length;
  return {
    operatingPoints: model.points.map((p) => ({
      id: p.id,
      label: p.label,
      converged: p.converged,
      vmMin: p.vmMin,
      vmMax: p.vmMax,
      maxLoadingPct: p.maxLoadingPct,
      flexMw: p.pFlexMw.reduce((s, x) => s + x, 0),
    })),
    locations: model.locations.map((l) => l.bus),
    monitoredBuses: model.monitoredBuses,
    monitoredBranches: model.monitoredBranches,
    vtdf: model.points.map((p) => nested(p.vtdf, nB, nLoc)),
    ltdf: model.points.map((p) => nested(p.ltdf, nL, nLoc)),
    ...(reactive
      ? {
          vtdfQ: model.points.map((p) => nested(p.vtdfQ!, nB, nLoc)),
          ltdfQ: model.points.map((p) => nested(p.ltdfQ!, nL, nLoc)),
        }
      : {}),
    strategy: model.strategy,
    computeMs: model.computeMs,
  };
}

export const sensCommand: Command = {
  usage: `sens <case-file | --district [--seed N] [--buildings N]> [--ops ${OPERATING_POINT_PRESETS.join(",")}] [--reactive] [--close-ties] [--accuracy N] [--json]`,
  summary: "piecewise VTDF/LTDF sensitivity matrices at several operating points (the DSO's light model)",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...DISTRICT_OPTIONS,
      ops: { type: "string" },
      reactive: { type: "boolean" },
      "close-ties": { type: "boolean" },
      accuracy: { type: "string" },
      json: { type: "boolean" },
    });
    let net: Network;
    if (values.district) {
      if (positionals.length) throw new UsageError("give either a case file or --district, not both");
      net = await loadDistrictNetwork(values.seed, values.buildings);
    } else {
      if (positionals.length !== 1) throw new UsageError("expected a case file or --district");
      net = loadNetworkFile(positionals[0]);
    }
    if (values["close-ties"]) net = closeTies(net);
    const names = (values.ops ?? "none,half,all")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const n of names) {
      if (!OPERATING_POINT_PRESETS.includes(n)) {
        throw new UsageError(`unknown operating point '${n}' in --ops; expected some of ${OPERATING_POINT_PRESETS.join(", ")}`);
      }
    }
    const samples = numberOption(values.accuracy, "accuracy", (v) => (!Number.isInteger(v) || v < 1 ? "must be a positive integer" : null));
    const locs = flexLocations(net);
    if (locs.length === 0) throw new UsageError("the grid has no flexibility locations (no FPUs and no PQ buses)");
    const model = computeSensitivities(net, locs, presetOperatingPoints(locs, names), { reactive: !!values.reactive });
    const accuracy = samples ? voronoiAccuracy(net, model, samples) : undefined;
    if (values.json) {
      printJson({ ...sensitivityJson(model, !!values.reactive), ...(accuracy ? { voronoiAccuracy: accuracy } : {}) });
      return;
    }
    const lines = [
      `${net.name}: ${locs.length} flexibility locations, ${model.monitoredBuses.length} monitored buses, ${model.monitoredBranches.length} monitored branches (with a rating)`,
      ...model.points.map(
        (p) =>
          `  ${p.id.padEnd(9)} ${p.converged ? "converged" : "NOT converged"}: flex ${p.pFlexMw.reduce((s, x) => s + x, 0).toFixed(3)} MW, Vmin ${p.vmMin.toFixed(4)} p.u., max loading ${p.maxLoadingPct === null ? "-" : `${p.maxLoadingPct.toFixed(1)} %`}`,
      ),
      `computed in ${model.computeMs.toFixed(1)} ms (${model.strategy === "columns" ? "one solve per location" : "one transposed solve per monitored element"})`,
    ];
    if (accuracy) {
      lines.push("linearization MAE inside / outside each Voronoi cell (eq. 9):");
      for (const a of accuracy) {
        lines.push(
          `  ${a.id.padEnd(9)} V ${exp(a.inside.vMaePu)} / ${exp(a.outside.vMaePu)} p.u.   L ${exp(a.inside.lMaePct)} / ${exp(a.outside.lMaePct)} %   (${a.inside.samples} / ${a.outside.samples} samples)`,
        );
      }
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};

/** A mean error in exponent notation; '-' when there was nothing to measure (no rated branch, no sample). */
function exp(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : "-";
}
