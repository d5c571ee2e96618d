import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFlexCli as flex } from "../../testing/cli";
import { SHARED_DIR, requireShared } from "../../testing/shared";

describe("flex coord", () => {
  requireShared();

  it("--json prints the documented document: centralized, methods and distribution systems", async () => {
    const { code, stdout } = await flex("coord", "--buses", "3,4", "--method", "slc", "--threads", "1", "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.centralized).toMatchObject({ status: "optimal" });
    for (const k of ["objective", "solveMs"]) expect(typeof out.centralized[k]).toBe("number");
    expect(out.methods).toHaveLength(1);
    expect(out.methods[0]).toMatchObject({ method: "slc", status: "optimal", reference: "power" });
    for (const k of ["objective", "costDeviationPct", "solveMs", "regionMs"]) expect(Number.isFinite(out.methods[0][k])).toBe(true);
    expect(Object.keys(out.methods[0].violations).sort()).toEqual(["branch", "p", "q", "voltage"]);
    expect(out.distributionSystems.map((d: { tsBus: number; case: string }) => [d.tsBus, d.case])).toEqual([
      [3, "case33mg"],
      [4, "case10ba"],
    ]);
    for (const k of ["pccPMW", "pccQMVAr", "costDeviationPct"]) expect(typeof out.distributionSystems[0][k]).toBe("number");
  });

  it("refuses a bad method (usage, exit 2), a bus that cannot take a feeder and a transmission grid it cannot read (exit 1)", async () => {
    const bad = await flex("coord", "--method", "lds,exact");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--method must be lds, slc, exact, pqv or all, got 'lds,exact'");
    const ref = await flex("coord", "--buses", "1");
    expect(ref.code).toBe(1);
    expect(ref.stderr).toContain("bus 1 of case30: not a PQ or PV bus that can take a distribution system");
    const missing = await flex("coord", "--ts", join(SHARED_DIR, "nope.m"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.m: ENOENT/);
  });
});
