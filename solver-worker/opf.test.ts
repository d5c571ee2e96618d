import { describe, expect, it } from "vitest";
import { parseGridFile, writeNetworkJson } from "../lib/grid";
import { solveOpf } from "../lib/opf";
import { generateDistrict } from "../lib/district";
import { readSharedCase } from "../lib/testing/shared";
import { runOpf } from "./opf";
import type { StageProgress } from "./protocol";

describe("opf message", () => {
  it("gives lib/opf's result for project JSON with a progress report per iteration", () => {
    const net = parseGridFile("case30.m", readSharedCase("case30"));
    const stages: StageProgress[] = [];
    const out = runOpf({ network: writeNetworkJson(net) }, (p) => stages.push(p));
    const ref = solveOpf(net);
    expect(out.summary).toMatchObject({ status: "optimal", iterations: ref.iterations, networkName: "case30" });
    expect(out.summary.objective).toBe(ref.objective);
    expect(stages.filter((s) => s.stage === "iterate")).toHaveLength(ref.iterations + 1);
    expect(stages.map((s) => s.fraction)).toEqual([...stages.map((s) => s.fraction)].sort((a, b) => a - b));
    expect(Array.from(out.buses.lamP)).toEqual(Array.from(ref.lamP));
    expect(Array.from(out.gens.pgMw)).toEqual(Array.from(ref.pgMw));
    expect(out.binding.map((b) => b.kind)).toEqual(ref.binding.map((b) => b.kind));
    expect(out.history.objective).toHaveLength(ref.iterations + 1);
  });

  it("refuses a grid without generator costs with the model's message (the generated district)", () => {
    const d = generateDistrict();
    expect(() => runOpf({ network: d.network }, () => {})).toThrow(/has no cost: the OPF needs mpc.gencost/);
  });

  it("reports an infeasible case with its reason instead of a result that looks solved", () => {
    const out = runOpf({ network: parseGridFile("case10ba.m", readSharedCase("case10ba")) }, () => {});
    expect(out.summary.status).toBe("infeasible");
    expect(out.summary.objective).toBeNull();
    expect(out.summary.message).toMatch(/exceeds/);
  });
});
