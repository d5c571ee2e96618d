import { beforeAll, describe, expect, it } from "vitest";
import { applyDispatch } from "@/lib/clearing";
import { solvePowerFlow } from "@/lib/powerflow";
import { getPrisma } from "@/lib/server/db";
import { publishedDsoSides, publishedLightModels } from "@/lib/server/market";
import { useTestDatabase } from "@/lib/server/test-harness";
import { tsoMarket } from "@/lib/server/tso";
import { openTsoClearing, relinearizeInClearing, validateInClearing } from "@/lib/server/tso-clearings";
import { runClear } from "@/solver-worker/clear";
import { runTsoClearing, type ClearingDeps, type ClearingGrid } from "./tso-clearing";
import type { SessionUser } from "@/lib/wire/roles";
import type { TsoMarket } from "@/lib/wire/tso";

useTestDatabase();

let grids: ClearingGrid[];
let market: TsoMarket;
let tso: SessionUser;

/**
 * The browser's loop with the real worker job and the real server functions behind it,
 * in a clearing opened for the request: every validation and re-linearization passes
 * the server's bounds (dispatch within the bids, points re-linearized in this clearing).
 */
async function deps(requestMw: number, calls: string[] = []): Promise<ClearingDeps> {
  const prisma = await getPrisma();
  const { clearing } = await openTsoClearing(prisma, tso, requestMw);
  const text = (t: string | Uint8Array) => (typeof t === "string" ? t : new TextDecoder().decode(t));
  return {
    clear: (req, onProgress) => {
      calls.push("clear");
      return runClear(req, onProgress);
    },
    validate: async (list, iteration) => {
      calls.push("validate");
      const gridsIn = list.map(({ addedOperatingPointsJson, ...g }) => ({ ...g, addedOperatingPoints: addedOperatingPointsJson.map((t) => JSON.parse(text(t)) as unknown) }));
      return validateInClearing(prisma, tso, { clearingId: clearing.id, iteration, grids: gridsIn });
    },
    relinearize: async (req) => {
      calls.push("relinearize");
      // As the browser gets it: the JSON's bytes.
      return new TextEncoder().encode(JSON.stringify(await relinearizeInClearing(prisma, tso, { clearingId: clearing.id, ...req })));
    },
  };
}

beforeAll(async () => {
  const prisma = await getPrisma();
  const row = await prisma.user.findUniqueOrThrow({ where: { username: "tso" } });
  tso = { id: row.id, username: row.username, displayName: row.displayName, role: "TSO" };
  market = await tsoMarket(prisma);
  const models = await publishedLightModels(prisma);
  grids = models.map((m) => ({
    gridId: m.gridId,
    gridName: m.gridName,
    lightModelId: m.id,
    lightModelJson: JSON.stringify(m.model),
    bids: market.grids.find((g) => g.gridId === m.gridId)!.bids,
  }));
});

describe("the TSO's clearing loop (worker clears, DSO side validates)", () => {
  it("clears 1.8 MW over both demo grids without a violation and reports Table I's metrics per grid", async () => {
    const calls: string[] = [];
    const stages: string[] = [];
    const out = await runTsoClearing(grids, { requestMw: 1.8, verified: false, reactive: true, groups: market.groups }, await deps(1.8, calls), (s) => {
      if (s.phase === "clear") stages.push(s.progress.stage);
    });
    expect(calls).toEqual(["clear", "validate"]);
    expect(stages).toContain("solve");
    expect(out.result.clearing.status).toBe("optimal");
    expect(Math.abs(out.result.clearing.totalMw - 1.8)).toBeLessThan(1e-6);
    expect(out.iterations).toHaveLength(1);
    expect(out.iterations[0].action).toBe("validated");
    expect(out.validations!.map((v) => v.verdict)).toEqual(["no violation", "no violation"]);
    for (const v of out.validations!) {
      expect(v.vMaePu).toBeLessThan(1e-3);
      expect(v.criticalBuses.length).toBeGreaterThan(0);
      // The PCC import falls by about the activated flexibility (losses change a little).
      const k = grids.findIndex((g) => g.lightModelId === v.lightModelId);
      expect(v.pcc.basePMw - v.pcc.pMw).toBeCloseTo(out.result.clearing.grids[k].totalMw, 1);
    }
    expect(out.verified).toBe(false);
  });

  it("AC-verified: re-linearizes on the DSO side until every grid agrees within 1e-5 p.u. and 0.01 %", async () => {
    const calls: string[] = [];
    const out = await runTsoClearing(grids, { requestMw: 1.8, verified: true, reactive: true, groups: market.groups }, await deps(1.8, calls));
    expect(out.verified).toBe(true);
    expect(out.iterations.length).toBeGreaterThan(1);
    expect(out.iterations.at(-1)!.action).toBe("accepted");
    expect(out.iterations.slice(0, -1).every((s) => s.action === "re-linearized" || s.action === "tightened")).toBe(true);
    expect(calls.filter((c) => c === "relinearize").length).toBeGreaterThan(0);
    for (const v of out.validations!) {
      expect(v.violations).toBe(0);
      expect(v.vMaxErrPu).toBeLessThanOrEqual(1e-5);
      expect(v.lMaxErrPct).toBeLessThanOrEqual(1e-2);
    }
    expect(Math.abs(out.result.clearing.totalMw - 1.8)).toBeLessThan(1e-6);
    // Points added in this clearing only: the published models are unchanged.
    const after = await publishedLightModels(await getPrisma());
    expect(after.map((m) => JSON.stringify(m.model))).toEqual(grids.map((g) => g.lightModelJson));
  });

  it("AC-verified on one grid: the accepted dispatch, applied to the DSO's own network, holds every limit in an independent AC power flow", async () => {
    const prisma = await getPrisma();
    const side = (await publishedDsoSides(prisma)).find((s) => s.gridId === grids[0].gridId)!;
    const bids = grids[0].bids;
    const groups = market.groups.filter((g) => bids.some((b) => b.groupId === g.id));
    const out = await runTsoClearing([grids[0]], { requestMw: 1.2, verified: true, reactive: true, groups }, await deps(1.2));
    expect(out.verified).toBe(true);
    const g = out.result.clearing.grids[0];
    // The loop's own validation is not the judge: a power flow of the network with the dispatch applied (tolerance 1e-8 p.u.).
    const pf = solvePowerFlow(applyDispatch(side.network, side.key, g.locationMw, g.locationMvar), { tol: 1e-8 });
    expect(pf.converged).toBe(true);
    const lim = side.model.limits;
    side.network.buses.forEach((b, i) => {
      if (b.type === "NONE") return;
      // 1e-6 p.u. over the limit at most: the loop accepts |linear − AC| ≤ 1e-5 p.u. and clears within the limits.
      expect(pf.vm[i]).toBeGreaterThanOrEqual(lim.vMinPu - 1e-6);
      expect(pf.vm[i]).toBeLessThanOrEqual(lim.vMaxPu + 1e-6);
    });
    pf.loadingPct.forEach((l) => expect(Math.abs(l)).toBeLessThanOrEqual(lim.loadingMaxPct + 1e-2));
    // The PCC delivers the cleared amount: the import falls by it (losses change by a few kW).
    const base = solvePowerFlow(side.network, { tol: 1e-8 });
    expect(base.slackPMw - pf.slackPMw).toBeCloseTo(out.result.clearing.totalMw, 1);
  });

  it("stops after one clearing when the request is infeasible, with the deliverable maximum in the message", async () => {
    const calls: string[] = [];
    const out = await runTsoClearing(grids, { requestMw: 10, verified: true, reactive: true, groups: market.groups }, await deps(10, calls));
    expect(calls).toEqual(["clear"]);
    expect(out.result.clearing.status).toBe("infeasible");
    expect(out.result.clearing.message).toMatch(/^infeasible: 10 MW cannot be delivered — .*the largest (deliverable amount|amount deliverable) without congestion is \d+\.\d{3} MW/);
    expect(out.result.clearing.maxDeliverableMw!).toBeGreaterThan(1.8);
    expect(out.result.clearing.maxDeliverableMw!).toBeLessThan(10);
    expect(out.validations).toBeNull();
    expect(out.iterations).toEqual([expect.objectContaining({ iteration: 1, status: "infeasible", action: "stopped" })]);
  });
});
