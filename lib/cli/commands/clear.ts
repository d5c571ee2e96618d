import { readFileSync, writeFileSync } from "node:fs";
import { clearBids, prepareDso, validateDispatch, verifiedClearing, applyDispatch, type DsoContext } from "../../clearing";
import { nodeHighs } from "../../clearing/highs-node";
import { writeMatpowerCase, type Network } from "../../grid";
import { BidFormatError, defaultBids, parseBidsFile, type Bid } from "../../market";
import { decodeOperatingPoints, type LightModel } from "../../sensitivity";
import { CliError, numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadNetworkFile } from "../load";
import { DISTRICT_OPTIONS, loadDistrictNetwork } from "./district-source";

/**
 * Bids of a file: locations are light-model ids, or `bus:<n>` which the DSO side
 * (the platform) resolves to its opaque location id before the TSO sees the bids.
 */
function resolveBidLocations(bids: Bid[], dso: DsoContext, lm: LightModel, fileName: string): Bid[] {
  const byBus = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
  const known = new Set(lm.locations);
  return bids.map((b, i) => {
    const m = /^bus:(\d+)$/.exec(b.location);
    if (m) {
      const id = byBus.get(Number(m[1]));
      if (!id) throw new BidFormatError(`${fileName}: bid ${i + 1} (${b.id}): bus ${m[1]} is not a flexibility location of this grid`);
      return { ...b, location: id };
    }
    if (!known.has(b.location)) throw new BidFormatError(`${fileName}: bid ${i + 1} (${b.id}): unknown location '${b.location}'`);
    return b;
  });
}

export async function loadGridArg(values: { grid?: string; district?: boolean; seed?: string; buildings?: string }): Promise<Network> {
  if (values.grid && values.district) throw new UsageError("give either --grid <case-file> or --district");
  if (values.grid) return loadNetworkFile(values.grid);
  return loadDistrictNetwork(values.seed, values.buildings);
}

function loadBidsArg(path: string | undefined, net: Network, dso: DsoContext, lm: LightModel): Bid[] {
  if (!path) {
    const byBus = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
    return defaultBids(net, (bus) => byBus.get(bus));
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const raw = parseBidsFile(path, text);
    return resolveBidLocations(raw, dso, lm, path.replace(/^.*[\\/]/, ""));
  } catch (e) {
    if (e instanceof BidFormatError) throw new CliError(e.message);
    throw e;
  }
}

export const clearCommand: Command = {
  usage:
    "clear [--grid <case-file> | --district [--seed N] [--buildings N]] [--bids <file>] --request <MW> [--verified] [--active-only] [--vmin PU] [--vmax PU] [--lmax PCT] [--json] [--export-dispatched FILE]",
  summary: "balancing-energy MILP clearing with the DSO's light model (HiGHS), validated by AC power flow",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      grid: { type: "string" },
      ...DISTRICT_OPTIONS,
      bids: { type: "string" },
      request: { type: "string" },
      verified: { type: "boolean" },
      "active-only": { type: "boolean" },
      vmin: { type: "string" },
      vmax: { type: "string" },
      lmax: { type: "string" },
      json: { type: "boolean" },
      "export-dispatched": { type: "string" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const request = numberOption(values.request, "request");
    if (request === undefined) throw new UsageError("--request <MW> is required");
    const vmin = numberOption(values.vmin, "vmin", (v) => (v <= 0 ? "must be positive" : null));
    const vmax = numberOption(values.vmax, "vmax", (v) => (v <= 0 ? "must be positive" : null));
    const lmax = numberOption(values.lmax, "lmax", (v) => (v <= 0 ? "must be positive" : null));
    const net = await loadGridArg(values);
    const limits = {
      ...(vmin !== undefined ? { vMinPu: vmin } : {}),
      ...(vmax !== undefined ? { vMaxPu: vmax } : {}),
      ...(lmax !== undefined ? { loadingMinPct: -lmax, loadingMaxPct: lmax } : {}),
    };
    const t0 = performance.now();
    let prepared: ReturnType<typeof prepareDso>;
    try {
      prepared = prepareDso(net, { reactive: !values["active-only"], salt: "cli", limits });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const { dso, lightModel } = prepared;
    const bids = loadBidsArg(values.bids, net, dso, lightModel);
    if (bids.length === 0) throw new CliError("the grid offers no flexibility to bid");
    const highs = await nodeHighs();
    const t1 = performance.now();
    let clearing: ReturnType<typeof clearBids>;
    let validation: ReturnType<typeof verifiedClearing>["validation"] | undefined;
    let iterations = 1;
    let history: ReturnType<typeof verifiedClearing>["history"] | undefined;
    let verified: boolean | undefined;
    if (values.verified) {
      const r = verifiedClearing(highs, dso, lightModel, bids, request);
      clearing = r.clearing;
      validation = r.validation;
      iterations = r.iterations;
      history = r.history;
      verified = r.verified;
    } else {
      clearing = clearBids(highs, lightModel, bids, request);
      if (clearing.status === "optimal") validation = validateDispatch(net, dso.key, lightModel, decodeOperatingPoints(lightModel), clearing);
    }
    const solveMs = performance.now() - t1;
    if (values["export-dispatched"]) {
      if (clearing.status !== "optimal") throw new CliError(`nothing to export: ${clearing.message}`);
      writeFileSync(values["export-dispatched"], writeMatpowerCase(applyDispatch(net, dso.key, clearing.locationMw, clearing.locationMvar)));
    }
    const out = {
      status: clearing.status,
      message: clearing.message,
      requestMW: request,
      objectiveEur: clearing.objectiveEur,
      selectedOperatingPoint: clearing.selectedOperatingPoint,
      dispatch: clearing.dispatch.map((d) => ({
        bidId: d.bidId,
        owner: d.owner,
        location: d.location,
        volumeMW: d.volumeMw,
        priceEURperMWh: d.priceEurPerMwh,
        activatedMW: d.activatedMw,
        fraction: d.fraction,
        state: d.state,
      })),
      totalMW: clearing.totalMw,
      ...(clearing.maxDeliverableMw !== undefined ? { maxDeliverableMW: clearing.maxDeliverableMw } : {}),
      validation: validation
        ? {
            vMAE: validation.vMaePu,
            vRMSE: validation.vRmsePu,
            lMAE: validation.lMaePct,
            lRMSE: validation.lRmsePct,
            vMaxErr: validation.vMaxErrPu,
            lMaxErr: validation.lMaxErrPct,
            violations: validation.violations.length,
            violationDetails: validation.violations.slice(0, 20),
          }
        : null,
      iterations,
      ...(verified !== undefined ? { verified, history } : {}),
      model: clearing.stats,
      prepareMs: t1 - t0,
      solveMs,
    };
    if (values.json) {
      printJson(out);
      return;
    }
    const lines = [`${net.name}: ${bids.length} bids at ${clearing.stats.bidLocations} locations, request ${request} MW`, `status: ${clearing.message}`];
    if (clearing.status === "optimal") {
      const active = clearing.dispatch.filter((d) => d.state !== "none");
      lines.push(
        `activated: ${active.filter((d) => d.state === "full").length} bids fully, ${active.filter((d) => d.state === "partial").length} partly, ${clearing.dispatch.length - active.length} not at all`,
      );
      if (validation) {
        lines.push(
          `AC validation: ${validation.message}; voltage MAE ${validation.vMaePu.toExponential(2)} p.u. (RMSE ${validation.vRmsePu.toExponential(2)}), ${validation.criticalBranches.length ? `loading MAE ${validation.lMaePct.toExponential(2)} % (RMSE ${validation.lRmsePct.toExponential(2)})` : "no rated branch to compare loadings on"}`,
        );
      }
      if (values.verified) lines.push(`AC-verified in ${iterations} iteration(s): ${verified ? "verified" : "NOT verified"}`);
    }
    lines.push(`light model ${(t1 - t0).toFixed(0)} ms, clearing ${solveMs.toFixed(0)} ms (${clearing.stats.constraints} rows, ${clearing.stats.limitRowsScreened} limit rows screened out)`);
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
