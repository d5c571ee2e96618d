import { readFileSync, writeFileSync } from "node:fs";
import { clearMarket, prepareDso } from "../../clearing";
import { nodeHighs } from "../../clearing/highs-node";
import { aggregatedResultsCsv, BidFormatError, demoPortfolios, disaggregate, parseAggregatedBidsFile, reaggregate, registryFromDso, type AggregatedBid } from "../../market";
import { CliError, numberOption, parseCommandArgs, printJson, UsageError, type Command } from "../args";
import { loadGridArg } from "./clear";
import { DISTRICT_OPTIONS } from "./district-source";

export const bcmCommand: Command = {
  usage: "bcm [--bids <portfolio.csv|json>] [--district [--seed N] [--buildings N] | --grid <case-file>] --request <MW> [--json] [--export-csv FILE]",
  summary: "bid congestion manager: split aggregated bids by asset location, clear them, re-aggregate the results",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      bids: { type: "string" },
      grid: { type: "string" },
      ...DISTRICT_OPTIONS,
      request: { type: "string" },
      json: { type: "boolean" },
      "export-csv": { type: "string" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const request = numberOption(values.request, "request");
    if (request === undefined) throw new UsageError("--request <MW> is required");
    const net = await loadGridArg(values);
    let prepared: ReturnType<typeof prepareDso>;
    try {
      prepared = prepareDso(net, { salt: "cli" });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const { dso, lightModel } = prepared;
    const gridId = net.name;
    const registry = registryFromDso(gridId, gridId, net, dso.key);
    let aggregated: AggregatedBid[];
    let dis: ReturnType<typeof disaggregate>;
    try {
      if (values.bids) {
        let text: string;
        try {
          text = readFileSync(values.bids, "utf8");
        } catch (e) {
          throw new CliError(`cannot read ${values.bids}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        aggregated = parseAggregatedBidsFile(values.bids, text);
      } else {
        aggregated = demoPortfolios(gridId, net);
      }
      dis = disaggregate(aggregated, [registry]);
    } catch (e) {
      if (e instanceof BidFormatError) throw new CliError(e.message);
      throw e;
    }
    const highs = await nodeHighs();
    const t0 = performance.now();
    const result = clearMarket(highs, [{ gridId, lightModel, bids: dis.perGrid.get(gridId) ?? [] }], request, { groups: dis.groups });
    const results = reaggregate(aggregated, dis, result.dispatch);
    const solveMs = performance.now() - t0;
    if (values["export-csv"]) writeFileSync(values["export-csv"], aggregatedResultsCsv(results));
    const total = results.reduce((s, r) => s + r.activatedMw, 0);
    if (values.json) {
      printJson({
        status: result.status,
        message: result.message,
        requestMW: request,
        aggregated: results.map((r) => ({
          bidId: r.bidId,
          owner: r.owner,
          direction: r.direction,
          priceEURperMWh: r.priceEurPerMwh,
          offeredMW: r.offeredMw,
          activatedMW: r.activatedMw,
          fraction: r.fraction,
          costEur: r.costEur,
          assets: r.assets.map((a) => ({ assetId: a.assetId, location: a.location, grid: a.grid, offeredMW: a.offeredMw, activatedMW: a.activatedMw })),
        })),
        totalActivatedMW: total,
        ...(result.maxDeliverableMw !== undefined ? { maxDeliverableMW: result.maxDeliverableMw } : {}),
        disaggregatedBids: [...dis.perGrid.values()].reduce((s, b) => s + b.length, 0),
        groups: dis.groups.length,
        objectiveEur: result.objectiveEur,
        solveMs,
      });
      return;
    }
    const lines = [
      `${gridId}: ${aggregated.length} aggregated bids from ${new Set(aggregated.map((a) => a.owner)).size} aggregators, split into ${[...dis.perGrid.values()].reduce((s, b) => s + b.length, 0)} asset bids (${dis.groups.length} with a joint minimum)`,
      `status: ${result.message}`,
    ];
    const byOwner = new Map<string, { mw: number; eur: number }>();
    for (const r of results) {
      const o = byOwner.get(r.owner) ?? { mw: 0, eur: 0 };
      o.mw += r.activatedMw;
      o.eur += r.costEur;
      byOwner.set(r.owner, o);
    }
    for (const [owner, o] of byOwner) lines.push(`  ${owner.padEnd(16)} ${o.mw.toFixed(4)} MW  ${o.eur.toFixed(2)} €`);
    lines.push(`total activated ${total.toFixed(6)} MW; clearing ${solveMs.toFixed(0)} ms`);
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
