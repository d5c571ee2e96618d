import { clearBids, prepareDso, validateDispatch, verifiedClearing } from "../clearing";
import { nodeHighs } from "../clearing/highs-node";
import { generateDistrict } from "../district";
import { defaultBids } from "../market";
import { decodeOperatingPoints } from "../sensitivity";
import type { Benchmark } from "./types";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * The DSO's light model and the TSO's clearing on the default district (1.8 MW, as
 * in [P004]) and on a generated district with 5,000 buildings. Times in Node;
 * the first HiGHS call includes WebAssembly compilation, so cold and warm figures
 * are printed separately.
 */
export const clearingBench: Benchmark = {
  name: "light model and MILP clearing (default district, 5,000 buildings)",
  async run(log) {
    const highs = await nodeHighs();
    const net = generateDistrict().network;
    const prepTimes: number[] = [];
    let prepared = prepareDso(net, { salt: "bench" });
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      prepared = prepareDso(net, { salt: "bench" });
      prepTimes.push(performance.now() - t);
    }
    const { dso, lightModel } = prepared;
    log(
      `  default district: light model (3 operating points, P and Q, ${dso.model.monitoredBuses.length} buses + ${dso.model.monitoredBranches.length} branches x ${dso.locations.length} locations) in ${median(prepTimes).toFixed(0)} ms (median of 3)`,
    );
    const byBus = new Map(dso.key.locations.map((l) => [l.bus, l.id]));
    const bids = defaultBids(net, (b) => byBus.get(b));
    const ops = decodeOperatingPoints(lightModel);
    let t = performance.now();
    let r = clearBids(highs, lightModel, bids, 1.8, { decoded: ops });
    const cold = performance.now() - t;
    const warm: number[] = [];
    for (let k = 0; k < 5; k++) {
      t = performance.now();
      r = clearBids(highs, lightModel, bids, 1.8, { decoded: ops });
      warm.push(performance.now() - t);
    }
    const v = validateDispatch(net, dso.key, lightModel, ops, r);
    log(
      `  default district, 1.8 MW, ${bids.length} bids: ${r.status}, ${r.objectiveEur?.toFixed(2)} €; clearing ${median(warm).toFixed(0)} ms (median of 5 warm; first call ${cold.toFixed(0)} ms with HiGHS compilation); ${r.stats.constraints} rows, ${r.stats.binaries} binaries`,
    );
    log(`    AC validation: ${v.violations.length} violations, voltage MAE ${v.vMaePu.toExponential(2)} p.u., loading MAE ${v.lMaePct.toExponential(2)} %`);
    t = performance.now();
    const fresh = prepareDso(net, { salt: "bench-verified" });
    const byBus2 = new Map(fresh.dso.key.locations.map((l) => [l.bus, l.id]));
    const vr = verifiedClearing(
      highs,
      fresh.dso,
      fresh.lightModel,
      defaultBids(net, (b) => byBus2.get(b)),
      1.8,
    );
    log(
      `  AC-verified clearing: ${vr.iterations} iterations, ${(performance.now() - t).toFixed(0)} ms; voltage MAE ${vr.validation?.vMaePu.toExponential(2)} p.u., loading MAE ${vr.validation?.lMaePct.toExponential(2)} %`,
    );

    t = performance.now();
    const big = generateDistrict({ buildings: 5000 }).network;
    const genMs = performance.now() - t;
    t = performance.now();
    const bigPrep = prepareDso(big, {
      salt: "bench-big",
      reactive: false,
      screen: { vMinPu: 0.95, vMaxPu: 1.05, loadingMaxPct: 100, marginVPu: 0, marginLPct: 0 },
    });
    const lmMs = performance.now() - t;
    const bigBus = new Map(bigPrep.dso.key.locations.map((l) => [l.bus, l.id]));
    const bigBids = defaultBids(big, (b) => bigBus.get(b));
    const offered = bigBids.reduce((s, b) => s + Math.max(0, b.volumeMw), 0);
    const request = Math.round(offered * 0.4 * 10) / 10;
    const bigOps = decodeOperatingPoints(bigPrep.lightModel);
    t = performance.now();
    const br = clearBids(highs, bigPrep.lightModel, bigBids, request, { decoded: bigOps });
    const clearMs = performance.now() - t;
    log(
      `  5,000 buildings (${big.buses.length} buses, ${bigPrep.dso.locations.length} locations, ${bigBids.length} bids): generation ${(genMs / 1000).toFixed(1)} s, light model (P only, screened to ${bigPrep.dso.model.monitoredBuses.length} buses + ${bigPrep.dso.model.monitoredBranches.length} branches) ${(lmMs / 1000).toFixed(1)} s`,
    );
    log(
      `    clearing ${request} MW (40 % of ${offered.toFixed(1)} MW offered): ${br.status} in ${(clearMs / 1000).toFixed(2)} s (${br.stats.lazyRounds} rounds, ${br.stats.limitRowsInLp} of ${br.stats.limitRowsCandidates} limit rows in the LP)`,
    );
    return { lightModelMs: median(prepTimes), clearingMs: median(warm), clearingColdMs: cold, bigClearingMs: clearMs };
  },
};
