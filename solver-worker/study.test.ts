import { describe, expect, it } from "vitest";
import { readSharedCase } from "../lib/testing/shared";
import type { StudyCases } from "./protocol";
import { runStudyCoordinate, runStudyRepresent } from "./study";

const cases: StudyCases = { transmission: readSharedCase("case30"), case10ba: readSharedCase("case10ba"), case33mg: readSharedCase("case33mg"), case118zh: readSharedCase("case118zh") };

describe("the study in the solver worker", () => {
  it("builds the 29 systems' LinDistFlow regions in parts and coordinates them as the CLI does (f within 0.7 % below f*: U_LDS neglects losses)", async () => {
    const stages: string[] = [];
    const { systems } = await runStudyRepresent({ cases, method: "lds", systems: [] }, () => {});
    expect(systems).toBe(29);
    const a = await runStudyRepresent({ cases, method: "lds", systems: [0, 1, 2] }, (p) => stages.push(p.message));
    const b = await runStudyRepresent({ cases, method: "lds", systems: Array.from({ length: 26 }, (_, k) => k + 3) }, () => {});
    expect(stages[0]).toMatch(/^lds region of DS 2 \(case118zh\)/);
    const report = await runStudyCoordinate({ cases, methods: ["lds"], represented: { lds: [...a.represented, ...b.represented] } }, (p) => stages.push(p.stage));
    expect(stages).toContain("centralized");
    expect(report.centralized.status).toBe("optimal");
    const m = report.methods[0];
    expect(m.status).toBe("optimal");
    expect(m.costDeviationPct).toBeLessThan(0);
    expect(m.costDeviationPct).toBeGreaterThan(-0.7);
    expect(report.distributionSystems).toHaveLength(29);
  }, 60_000);

  it("refuses a coordination without every system's region, and a system the study does not have", async () => {
    const a = await runStudyRepresent({ cases, method: "lds", systems: [0] }, () => {});
    await expect(runStudyCoordinate({ cases, methods: ["lds"], represented: { lds: a.represented } }, () => {})).rejects.toThrow("lds: 1 regions for 29 distribution systems");
    await expect(runStudyRepresent({ cases, method: "lds", systems: [29] }, () => {})).rejects.toThrow("the study has no distribution system 29");
  });
});
