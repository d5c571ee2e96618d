import { writeFileSync } from "node:fs";
import { writeMatpowerCase } from "../../grid";
import { analyzeFlexibilityExtremes, DistrictInputError, generateDistrict, MAX_GENERATED_BUILDINGS, DEFAULT_DISTRICT_SEED, DEFAULT_DISTRICT_BUILDINGS } from "../../district";
import { CliError, numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";

export const districtCommand: Command = {
  usage: "district [--seed N] [--buildings N] [--json] [--export-matpower FILE]",
  summary: "generate a Bergwald-like district grid; base case and all-upward-flexibility power flows",
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      seed: { type: "string" },
      buildings: { type: "string" },
      json: { type: "boolean" },
      "export-matpower": { type: "string" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const seed = numberOption(values.seed, "seed", (v) => (!Number.isSafeInteger(v) ? "must be an integer" : null)) ?? DEFAULT_DISTRICT_SEED;
    const n =
      numberOption(values.buildings, "buildings", (v) => (!Number.isInteger(v) || v < 1 || v > MAX_GENERATED_BUILDINGS ? `must be an integer from 1 to ${MAX_GENERATED_BUILDINGS}` : null)) ??
      DEFAULT_DISTRICT_BUILDINGS;
    const file = values["export-matpower"];
    if (file !== undefined && file.trim() === "") throw new UsageError("--export-matpower needs a file name");

    let district: ReturnType<typeof generateDistrict>;
    try {
      district = generateDistrict({ seed, buildings: n });
    } catch (e) {
      if (e instanceof DistrictInputError) throw new CliError(e.message);
      throw e;
    }
    const net = district.network;
    if (file !== undefined) {
      try {
        writeFileSync(file, writeMatpowerCase(net));
      } catch (e) {
        throw new CliError(`cannot write ${file}: ${(e as Error).message}`);
      }
    }
    const a = analyzeFlexibilityExtremes(net);
    const summary = {
      buildings: district.buildings.length,
      substations: district.substations.length,
      buses: net.buses.length,
      branches: net.branches.length,
      fpus: net.fpus.length,
      busesWithCoordinates: net.buses.filter((b) => Number.isFinite(b.lon) && Number.isFinite(b.lat)).length,
      offeredUpMW: a.offered.upMw,
      offeredDownMW: a.offered.downMw,
      basePf: { converged: a.base.converged, vmMin: a.base.vmMin, vmMax: a.base.vmMax, maxLoadingPct: a.base.maxLoadingPct },
      allFlexPf: {
        converged: a.allFlex.converged,
        vmMin: a.allFlex.vmMin,
        vmMax: a.allFlex.vmMax,
        maxLoadingPct: a.allFlex.maxLoadingPct,
        congestedBranches: a.allFlexSummary.congested.length,
      },
    };
    if (values.json) {
      printJson(summary);
      return;
    }
    const pct = (v: number | null) => (v === null ? "n/a" : `${v.toFixed(1)} %`);
    const lines = [
      `${district.name}: ${summary.buildings} buildings, ${summary.substations} substations 20/0.4 kV (${district.substations.map((s) => `${s.id} ${s.typeName}`).join(", ")})`,
      `grid: ${summary.buses} buses (${summary.busesWithCoordinates} with coordinates), ${summary.branches} branches, ${district.feeders.length} LV feeders, ${district.rings.length} MV ring(s); ${summary.fpus} FPUs`,
      `scenario: ${district.scenario}`,
      `offered flexibility: up ${summary.offeredUpMW.toFixed(3)} MW, down ${summary.offeredDownMW.toFixed(3)} MW`,
      `base case: ${a.base.message}; voltage ${a.base.vmMin.toFixed(4)}–${a.base.vmMax.toFixed(4)} p.u.; max loading ${pct(a.base.maxLoadingPct)}`,
      `all upward flexibility: ${a.allFlex.message}; voltage ${a.allFlex.vmMin.toFixed(4)}–${a.allFlex.vmMax.toFixed(4)} p.u.; max loading ${pct(a.allFlex.maxLoadingPct)}; ${summary.allFlexPf.congestedBranches} congested branch(es)${a.allFlexSummary.congested.length ? `: ${a.allFlexSummary.congested.slice(0, 8).join(", ")}${a.allFlexSummary.congested.length > 8 ? ", ..." : ""}` : ""}`,
      ...(file !== undefined ? [`MATPOWER case (base case) written to ${file}`] : []),
      ...district.warnings.map((w) => `warning: ${w}`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
