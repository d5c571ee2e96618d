import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../../grid";
import { solvePowerFlow } from "../../powerflow";
import { generateDistrict } from "../../district";
import { runFlexCli as flex } from "../../testing/cli";

describe("flex district", () => {
  it("--json prints exactly the documented fields; the default district is Fig. 5's situation", async () => {
    const { code, stdout, stderr } = await flex("district", "--json");
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(["buildings", "substations", "buses", "branches", "fpus", "busesWithCoordinates", "offeredUpMW", "offeredDownMW", "basePf", "allFlexPf"]);
    expect(Object.keys(out.basePf)).toEqual(["converged", "vmMin", "vmMax", "maxLoadingPct"]);
    expect(Object.keys(out.allFlexPf)).toEqual(["converged", "vmMin", "vmMax", "maxLoadingPct", "congestedBranches"]);
    expect(out).toMatchObject({ buildings: 241, substations: 6 });
    expect(out.busesWithCoordinates).toBe(out.buses);
    expect(out.offeredUpMW).toBeGreaterThan(1.8);
    expect(out.offeredDownMW).toBeLessThan(0);
    expect(out.basePf.converged).toBe(true);
    expect(out.basePf.vmMin).toBeGreaterThanOrEqual(0.95);
    expect(out.basePf.vmMax).toBeLessThanOrEqual(1.05);
    expect(out.basePf.maxLoadingPct).toBeLessThanOrEqual(100);
    expect(out.allFlexPf.converged).toBe(true);
    expect(out.allFlexPf.maxLoadingPct).toBeGreaterThan(100);
    expect(out.allFlexPf.congestedBranches).toBeGreaterThan(0);
    const d = generateDistrict();
    expect(out.buses).toBe(d.network.buses.length);
    expect(out.fpus).toBe(d.network.fpus.length);
  });

  it("--seed/--buildings pick another district; --export-matpower writes the base case with ratings that re-imports to the same power flow", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flex-district-"));
    const file = join(dir, "d.m");
    const { code, stdout } = await flex("district", "--seed", "9", "--buildings", "100", "--json", "--export-matpower", file);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.buildings).toBe(100);
    const net = parseMatpowerCase(readFileSync(file, "utf8"));
    expect(net.buses).toHaveLength(out.buses);
    expect(net.branches.every((b) => b.rateAMva > 0)).toBe(true);
    const r = solvePowerFlow(net);
    expect(r.converged).toBe(true);
    expect(r.vmMin).toBeCloseTo(out.basePf.vmMin, 6);
    expect(r.maxLoadingPct!).toBeCloseTo(out.basePf.maxLoadingPct, 3);
  });

  it("prints a readable summary without --json", async () => {
    const { code, stdout } = await flex("district", "--buildings", "60", "--seed", "2");
    expect(code).toBe(0);
    expect(stdout).toMatch(/60 buildings, \d+ substations 20\/0\.4 kV/);
    expect(stdout).toMatch(/offered flexibility: up \d+\.\d{3} MW/);
    expect(stdout).toMatch(/base case: converged/);
  });

  it("rejects bad arguments with a clear message and exit code 2", async () => {
    for (const [args, message] of [
      [["--seed", "x"], /--seed must be a number, got 'x'/],
      [["--seed", "1.5"], /--seed must be an integer/],
      [["--buildings", "0"], /--buildings must be an integer from 1 to 5000, got 0/],
      [["--buildings", "9000"], /--buildings must be an integer from 1 to 5000/],
      [["--bogus"], /Unknown option '--bogus'/],
      [["extra"], /unexpected argument 'extra'/],
      [["--export-matpower", ""], /--export-matpower needs a file name/],
    ] as const) {
      const { code, stdout, stderr } = await flex("district", ...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(message);
    }
  });

  it("reports an unwritable export file as an error (exit 1)", async () => {
    const { code, stderr } = await flex("district", "--buildings", "10", "--export-matpower", "/nonexistent-dir/x.m");
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot write \/nonexistent-dir\/x\.m/);
  });
});
