import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import { runFlexCli as flex } from "../testing/cli";
import { SHARED_DIR, readReference, requireShared } from "../testing/shared";

const caseFile = (name: string) => join(SHARED_DIR, "cases", "matpower", `${name}.m`);

describe("flex CLI", () => {
  requireShared();

  it("pf --json prints one JSON document with the documented fields", async () => {
    const { code, stdout } = await flex("pf", caseFile("case33bw"), "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const ref = readReference<{ vm_pu: number[]; loss_p_mw: number }>("case33bw_pf.json");
    expect(out).toMatchObject({ converged: true, iterations: 3, baseMVA: 10 });
    expect(out.buses).toHaveLength(33);
    expect(out.buses[17]).toMatchObject({ id: 18 });
    expect(Math.abs(out.buses[17].vm - ref.vm_pu[17])).toBeLessThan(1e-8);
    expect(out.branches).toHaveLength(37); // including the five open ties
    expect(out.branches[36]).toMatchObject({ from: 25, to: 29, pFromMW: 0, loadingPct: null });
    for (const k of ["lossPMW", "lossQMVAr", "slackPMW", "slackQMVAr", "solveMs"]) expect(typeof out[k]).toBe("number");
    expect(Math.abs(out.lossPMW - ref.loss_p_mw)).toBeLessThan(1e-6);
  });

  it("pf --close-ties and --load-scale change the case", async () => {
    const meshed = JSON.parse((await flex("pf", caseFile("case33bw"), "--close-ties", "--json")).stdout);
    expect(meshed.branches[36].pFromMW).not.toBe(0);
    const scaled = JSON.parse((await flex("pf", caseFile("case33bw"), "--load-scale", "0.5", "--json")).stdout);
    expect(scaled.lossPMW).toBeLessThan(0.202677 / 2);
  });

  it("pf-batch replays the reference scenarios", async () => {
    const { code, stdout } = await flex("pf-batch", caseFile("case533mt_lo"), "--scales", join(SHARED_DIR, "reference", "batch", "case533mt_lo_batch_scales.csv"), "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ scenarios: 200, converged: 200 });
    expect(out.pfPerSecond).toBeGreaterThan(0);
    expect(out.vm).toBeUndefined();
  });

  it("export writes a MATPOWER case that re-imports to the same network", async () => {
    const { code, stdout } = await flex("export", caseFile("case118zh"), "--format", "matpower");
    expect(code).toBe(0);
    const original = parseMatpowerCase(readFileSync(caseFile("case118zh"), "utf8"));
    expect({ ...parseMatpowerCase(stdout), meta: undefined }).toEqual({ ...original, meta: undefined });
    const json = await flex("export", caseFile("case9"), "--format", "json");
    expect(JSON.parse(json.stdout)).toMatchObject({ format: "flexplat-network", version: 1, name: "case9" });
  });

  it("rejects bad input with a message on stderr and a non-zero exit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flex-cli-"));
    const bad = join(dir, "bad.m");
    writeFileSync(bad, "function mpc = bad\nmpc.baseMVA = 100;\nmpc.bus = [1 3 0 0 0 0 1 1 0 20 1 1.1];\n");
    const r1 = await flex("pf", bad, "--json");
    expect(r1.code).toBe(1);
    expect(r1.stdout).toBe("");
    expect(r1.stderr).toMatch(/bad\.m: .*mpc\.bus has 12 columns/);
    const r2 = await flex("pf", join(dir, "missing.m"));
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/cannot read .*missing\.m: ENOENT/);
    const r3 = await flex("pf", caseFile("case9"), "--load-scale", "abc");
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--load-scale must be a number/);
    const r4 = await flex("nope");
    expect(r4.code).toBe(2);
    expect(r4.stderr).toMatch(/unknown command 'nope'/);
    const r5 = await flex("export", caseFile("case9"), "--format", "xml");
    expect(r5.code).toBe(2);
  });
});
