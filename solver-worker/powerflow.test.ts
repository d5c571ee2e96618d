import { describe, expect, it } from "vitest";
import { parseGridFile, writeNetworkJson } from "../lib/grid";
import { solvePowerFlow } from "../lib/powerflow";
import { readSharedCase } from "../lib/testing/shared";
import type { StageProgress } from "./protocol";
import { runPowerFlow } from "./powerflow";

describe("powerflow message", () => {
  const net = parseGridFile("case33bw.m", readSharedCase("case33bw"));

  it("gives lib/powerflow's results from project JSON, with progress through every stage", () => {
    const stages: StageProgress[] = [];
    const out = runPowerFlow({ network: writeNetworkJson(net) }, (p) => stages.push(p));
    expect(stages.map((s) => s.stage)).toEqual(["parse", "prepare", "solve", "results"]);
    expect(stages.map((s) => s.fraction)).toEqual([...stages.map((s) => s.fraction)].sort((a, b) => a - b));
    const ref = solvePowerFlow(net);
    expect(out.summary).toMatchObject({ converged: true, status: "converged", iterations: ref.iterations, vmMinBusId: 18, networkName: "case33bw" });
    expect(out.summary.vmMin.toFixed(5)).toBe("0.91309");
    expect((out.summary.lossPMw * 1000).toFixed(2)).toBe("202.68");
    expect(out.summary.lossPMw).toBe(ref.lossPMw);
    expect(Array.from(out.buses.vmPu)).toEqual(Array.from(ref.vm));
    expect(Array.from(out.branches.pFromMw)).toEqual(Array.from(ref.pFromMw));
    expect(Array.from(out.buses.ids)).toEqual(net.buses.map((b) => b.id));
    expect(out.branches.ids).toEqual(net.branches.map((b) => b.id));
    expect(Array.from(out.branches.inService).filter((v) => v === 0)).toHaveLength(5);
    expect(out.buses.vminPu[1]).toBe(0.9);
    expect(out.summary.maxLoadingPct).toBeNull();
    expect(out.summary.workerMs).toBeGreaterThanOrEqual(out.summary.solveMs);
  });

  it("accepts a Network object and reports the ratings-based loading", () => {
    const rated = { ...net, branches: net.branches.map((b) => ({ ...b, rateAMva: 5 })) };
    const out = runPowerFlow({ network: rated }, () => {});
    const ref = solvePowerFlow(rated);
    expect(out.summary.maxLoadingPct).toBe(ref.maxLoadingPct);
    expect(out.summary.maxLoadingBranchId).toBe("1");
  });

  it("passes the importer's message on for a bad network", () => {
    expect(() => runPowerFlow({ network: `{"format":"flexplat-network","version":1,"name":"x","baseMVA":100,"buses":[]}` }, () => {})).toThrow(/buses: a network needs at least one bus/);
  });
});
