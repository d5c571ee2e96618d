import { describe, expect, it } from "vitest";
import { loadHighs } from "./highs";
import { runLpSolve } from "./lp-solve";
import type { StageProgress } from "./protocol";

const LP = `Maximize
 obj: 3 x + 2 y
Subject To
 c1: x + y <= 4
 c2: x + 3 y <= 6
Bounds
 0 <= x <= 3
End`;

describe("lp-solve message (HiGHS)", () => {
  it("solves an LP and loads HiGHS only once", async () => {
    const first: StageProgress[] = [];
    const res = await runLpSolve({ lp: LP }, (p) => first.push(p));
    expect(res.status).toBe("Optimal");
    expect(res.objective).toBeCloseTo(11, 9);
    expect(res.columns.x).toBeCloseTo(3, 9);
    expect(res.columns.y).toBeCloseTo(1, 9);
    expect(first.map((p) => p.stage)).toEqual(["load", "solve"]);
    const second: StageProgress[] = [];
    await runLpSolve({ lp: LP }, (p) => second.push(p));
    expect(second.map((p) => p.stage)).toEqual(["solve"]);
    expect(loadHighs()).toBe(loadHighs());
  });

  it("solves a MILP", async () => {
    const res = await runLpSolve({ lp: "Maximize\n obj: x + y\nSubject To\n c: 2 x + 2 y <= 5\nGeneral\n x y\nEnd" }, () => {});
    expect(res.status).toBe("Optimal");
    expect(res.objective).toBe(2);
  });

  it("reports infeasibility as a status without a solution", async () => {
    const res = await runLpSolve({ lp: "Minimize\n obj: x\nSubject To\n c1: x >= 2\n c2: x <= 1\nEnd" }, () => {});
    expect(res.status).toBe("Infeasible");
    expect(res.objective).toBeNull();
    expect(res.columns).toEqual({});
  });

  it("names a model HiGHS cannot read", async () => {
    await expect(runLpSolve({ lp: "Maximize\n obj: 3 x +\nSubject To\n c1: x <=\nEnd" }, () => {})).rejects.toThrow(/HiGHS could not read the model/);
  });
});
