import { describe, expect, it } from "vitest";
import type { StudyReport } from "@/lib/coordination/report";
import { deviationFigure, violationFigure } from "./study-plots";

const zero = { voltage: 0, p: 0, q: 0, branch: 0 };
const report: StudyReport = {
  transmission: "case30",
  systems: [
    { tsBus: 2, case: "case118zh", scaleP: 1, derPMaxMW: 5, derC1: 1.5 },
    { tsBus: 3, case: "case33mg", scaleP: 0.6, derPMaxMW: 0.5, derC1: 2 },
  ],
  centralized: { status: "optimal", objective: 600, solveMs: 100, iterations: 17, buses: 300 },
  centralizedVoltage: null,
  methods: ["lds", "exact"].map((m) => ({
    method: m as "lds",
    status: "optimal" as const,
    message: "",
    objective: 601,
    reference: "power" as const,
    costDeviationPct: m === "lds" ? -0.5 : 0.001,
    violations: zero,
    solveMs: 1,
    tsoSolveMs: 1,
    dsoSolveMs: 1,
    dsoMaxMs: 1,
    regionMs: 1,
    tsoIterations: 10,
    worst: { unitMW: 0, voltagePu: 0, branchMVA: 0 },
  })),
  distributionSystems: [
    { method: "lds", tsBus: 2, case: "case118zh", pccPMW: 1, pccQMVAr: 1, pccVPu: 1, costDeviationPct: -0.3, violations: { ...zero, q: 2 }, postStatus: "violations", regionMs: 1 },
    { method: "lds", tsBus: 3, case: "case33mg", pccPMW: 1, pccQMVAr: 1, pccVPu: 1, costDeviationPct: -0.2, violations: { ...zero, voltage: 1 }, postStatus: "violations", regionMs: 1 },
    { method: "exact", tsBus: 3, case: "case33mg", pccPMW: 1, pccQMVAr: 1, pccVPu: 1, costDeviationPct: 0.001, violations: zero, postStatus: "within-limits", regionMs: 1 },
  ],
};

describe("the study's Fig. 3", () => {
  it("puts each method's deviation per system in bus order, a gap where a system has no row", () => {
    const f = deviationFigure(report);
    expect(f.data).toHaveLength(2);
    expect((f.data[0] as { x: string[] }).x).toEqual(["2 · 118zh", "3 · 33mg"]);
    expect((f.data[0] as { y: number[] }).y).toEqual([-0.3, -0.2]);
    expect((f.data[1] as { y: (number | null)[] }).y).toEqual([null, 0.001]);
    expect((f.data[0] as { name: string }).name).toContain("-0.500 %");
  });

  it("stacks the violations by kind within each method's bar", () => {
    const f = violationFigure(report);
    expect(f.data).toHaveLength(8);
    const lds = f.data.filter((d) => (d as { offsetgroup: string }).offsetgroup === "lds") as { name: string; y: number[] }[];
    expect(lds.find((d) => d.name === "lds: unit Q")!.y).toEqual([2, 0]);
    expect(lds.find((d) => d.name === "lds: voltage")!.y).toEqual([0, 1]);
  });
});
