import { describe, expect, it } from "vitest";
import { parseGridFile } from "@/lib/grid";
import { readSharedCase } from "@/lib/testing/shared";
import { runPowerFlow } from "@/solver-worker/powerflow";
import { buildBranchRows, sortBranchRows } from "./branch-rows";

const net = parseGridFile("case33bw.m", readSharedCase("case33bw"));
// Ratings on the first ten branches only, so rated and unrated rows mix.
const rated = { ...net, branches: net.branches.map((b, l) => ({ ...b, rateAMva: l < 10 ? 2 : 0 })) };
const result = runPowerFlow({ network: rated }, () => {});
const rows = buildBranchRows(result.branches);

describe("branch table rows", () => {
  it("carries each branch's flows, loading and losses in kW", () => {
    expect(rows).toHaveLength(37);
    expect(rows[0]).toMatchObject({ id: "1", from: 1, to: 2, inService: true });
    expect(rows[0].lossKw).toBeCloseTo(result.branches.lossPMw[0] * 1000, 12);
    expect(rows.reduce((s, r) => s + r.lossKw, 0)).toBeCloseTo(result.summary.lossPMw * 1000, 9);
    expect(rows.filter((r) => !r.inService)).toHaveLength(5);
    expect(Number.isNaN(rows[20].loadingPct)).toBe(true);
  });

  it("sorts by |loading| with unrated branches last in both directions", () => {
    const desc = sortBranchRows(rows, "loading", "desc");
    const asc = sortBranchRows(rows, "loading", "asc");
    const ratedDesc = desc.slice(0, 10).map((r) => Math.abs(r.loadingPct));
    expect(ratedDesc).toEqual([...ratedDesc].sort((a, b) => b - a));
    expect(desc[0].loadingPct).toBeCloseTo(result.summary.maxLoadingPct!, 12);
    expect(desc.slice(10).every((r) => Number.isNaN(r.loadingPct))).toBe(true);
    expect(asc.slice(10).every((r) => Number.isNaN(r.loadingPct))).toBe(true);
    expect(Math.abs(asc[0].loadingPct)).toBeLessThanOrEqual(Math.abs(asc[9].loadingPct));
    expect(desc.slice(10).map((r) => r.index)).toEqual(rows.slice(10).map((r) => r.index));
  });

  it("sorts by losses, by flow and by id (numerically)", () => {
    const loss = sortBranchRows(rows, "loss", "desc");
    expect(loss[0].lossKw).toBe(Math.max(...rows.map((r) => r.lossKw)));
    const flow = sortBranchRows(rows, "flow", "desc");
    expect(flow[0].id).toBe("1");
    const ids = sortBranchRows(rows, "id", "desc").map((r) => r.id);
    expect(ids.slice(0, 3)).toEqual(["37", "36", "35"]);
    expect(rows.map((r) => r.id)).toEqual(net.branches.map((b) => b.id));
  });
});
