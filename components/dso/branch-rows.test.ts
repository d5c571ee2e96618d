import { describe, expect, it } from "vitest";
import { parseGridFile } from "@/lib/grid";
import { readSharedCase } from "@/lib/testing/shared";
import { runPowerFlow } from "@/solver-worker/powerflow";
import { branchRow, sortBranchIndices } from "./branch-rows";

const net = parseGridFile("case33bw.m", readSharedCase("case33bw"));
// Ratings on the first ten branches only, so rated and unrated rows mix.
const rated = { ...net, branches: net.branches.map((b, l) => ({ ...b, rateAMva: l < 10 ? 2 : 0 })) };
const result = runPowerFlow({ network: rated }, () => {});
const br = result.branches;
const rows = Array.from({ length: br.ids.length }, (_, l) => branchRow(br, l));

describe("branch table rows", () => {
  it("carries each branch's flows, loading and losses in kW", () => {
    expect(rows).toHaveLength(37);
    expect(rows[0]).toMatchObject({ id: "1", from: 1, to: 2, inService: true });
    expect(rows[0].lossKw).toBeCloseTo(br.lossPMw[0] * 1000, 12);
    expect(rows.reduce((s, r) => s + r.lossKw, 0)).toBeCloseTo(result.summary.lossPMw * 1000, 9);
    expect(rows.filter((r) => !r.inService)).toHaveLength(5);
    expect(Number.isNaN(rows[20].loadingPct)).toBe(true);
  });

  it("sorts by |loading| with unrated branches last in both directions", () => {
    const desc = Array.from(sortBranchIndices(br, "loading", "desc"), (l) => rows[l]);
    const asc = Array.from(sortBranchIndices(br, "loading", "asc"), (l) => rows[l]);
    const ratedDesc = desc.slice(0, 10).map((r) => Math.abs(r.loadingPct));
    expect(ratedDesc).toEqual([...ratedDesc].sort((a, b) => b - a));
    expect(Math.abs(desc[0].loadingPct)).toBeCloseTo(result.summary.maxLoadingPct!, 12);
    expect(desc.slice(10).every((r) => Number.isNaN(r.loadingPct))).toBe(true);
    expect(asc.slice(10).every((r) => Number.isNaN(r.loadingPct))).toBe(true);
    expect(Math.abs(asc[0].loadingPct)).toBeLessThanOrEqual(Math.abs(asc[9].loadingPct));
    expect(desc.slice(10).map((r) => r.index)).toEqual(rows.slice(10).map((r) => r.index));
  });

  it("sorts by losses, by flow and by id (numerically)", () => {
    const loss = sortBranchIndices(br, "loss", "desc");
    expect(rows[loss[0]].lossKw).toBe(Math.max(...rows.map((r) => r.lossKw)));
    expect(rows[sortBranchIndices(br, "loss", "asc")[36]].lossKw).toBe(rows[loss[0]].lossKw);
    expect(rows[sortBranchIndices(br, "flow", "desc")[0]].id).toBe("1");
    const ids = Array.from(sortBranchIndices(br, "id", "desc"), (l) => rows[l].id);
    expect(ids.slice(0, 3)).toEqual(["37", "36", "35"]);
    expect(Array.from(sortBranchIndices(br, "id", "asc"))).toEqual(rows.map((r) => r.index));
  });
});
