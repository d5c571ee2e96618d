import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readReference, SHARED_DIR } from "../../testing/shared";
import { runFlexCli as flex } from "../../testing/cli";

const caseFile = (name: string) => join(SHARED_DIR, "cases", "matpower", `${name}.m`);

describe("flex opf", () => {
  it("--json prints the issue's fields for case30, objective as MATPOWER's to 1e-6", async () => {
    const { code, stdout, stderr } = await flex("opf", caseFile("case30"), "--json");
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).slice(0, 8)).toEqual(["status", "objective", "iterations", "solveMs", "buses", "gens", "branches", "lossPMW"]);
    expect(out.status).toBe("optimal");
    const ref = readReference<{ objective: number; gen_pg_mw: number[]; gen_bus: number[] }>("case30_opf.json");
    expect(Math.abs(out.objective - ref.objective) / ref.objective).toBeLessThan(1e-6);
    expect(Object.keys(out.buses[0])).toEqual(["id", "vm", "vaDeg", "lamP", "lamQ"]);
    expect(out.buses).toHaveLength(30);
    expect(out.gens.map((g: { bus: number }) => g.bus)).toEqual(ref.gen_bus);
    expect(Object.keys(out.gens[0])).toEqual(["bus", "pgMW", "qgMVAr"]);
    out.gens.forEach((g: { pgMW: number }, k: number) => expect(Math.abs(g.pgMW - ref.gen_pg_mw[k])).toBeLessThan(1e-2));
    expect(Object.keys(out.branches[0])).toEqual(["from", "to", "sFromMVA", "sToMVA", "loadingPct"]);
    expect(out.branches).toHaveLength(41);
    expect(out.lossPMW).toBeGreaterThan(0);
  });

  it("reports case10ba infeasible (exit 0, status and reason), refuses a case without gencost (exit 1)", async () => {
    const inf = await flex("opf", caseFile("case10ba"), "--json");
    expect(inf.code, inf.stderr).toBe(0);
    const out = JSON.parse(inf.stdout);
    expect(out.status).toBe("infeasible");
    expect(out.objective).toBeNull();
    expect(out.message).toMatch(/fixed demand of 12\.368 MW exceeds/);
    const bad = await flex("opf", caseFile("case533mt_lo"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/case533mt_lo\.m: generator 1 at bus 1 has no cost/);
    expect(bad.stdout).toBe("");
  });
});
