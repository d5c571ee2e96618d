import { describe, expect, it } from "vitest";
import { parseGridFile } from "../grid";
import { readSharedCase } from "../testing/shared";
import { buildStoredProblem, regionProblemOptionsSchema } from "./problem-options";
import { buildPqvProblem } from "./pqv/problem";
import { buildRegionProblem } from "./units";

describe("a region's stored problem options", () => {
  const net = parseGridFile("case33mg.m", readSharedCase("case33mg"));

  it("read what the region and PQV panels send, and nothing else", () => {
    const pq = { kind: "pq", units: "auto", der: { pShare: 0.25, qShare: 0.15 }, closeTies: false };
    const pqv = { kind: "pqv", vRange: [0.95, 1.05], closeTies: false, unitListJson: null };
    expect(regionProblemOptionsSchema.parse(pq)).toEqual(pq);
    expect(regionProblemOptionsSchema.parse(pqv)).toEqual(pqv);
    expect(regionProblemOptionsSchema.safeParse({ ...pq, units: "file" }).success).toBe(false);
    expect(regionProblemOptionsSchema.safeParse({ ...pqv, vRange: [1.05, 0.95] }).success).toBe(false);
    expect(regionProblemOptionsSchema.safeParse({ ...pq, buses: [18] }).success).toBe(false);
  });

  it("rebuild the same problem the region jobs built (units, PCC, voltage range)", () => {
    const pq = buildStoredProblem(net, { kind: "pq", units: "auto", der: { pShare: 0.25, qShare: 0.15 }, closeTies: false });
    expect(pq).toEqual(buildRegionProblem(net, { der: { pShare: 0.25, qShare: 0.15 } }));
    const pqv = buildStoredProblem(net, { kind: "pqv", vRange: [0.96, 1.04], closeTies: false, unitListJson: null });
    expect(pqv).toEqual(buildPqvProblem(net, { vRange: [0.96, 1.04] }));
    expect(pqv.vRange).toEqual([0.96, 1.04]);
  });
});
