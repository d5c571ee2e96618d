import { describe, expect, it } from "vitest";
import { parseGridFile, writeNetworkJson } from "../lib/grid";
import { computePqvRegion } from "../lib/regions/pqv";
import { parsePublishedRegion, publishPqRegion, publishPqvRegion } from "../lib/regions/published";
import { readSharedCase } from "../lib/testing/shared";
import { polyDerivs } from "../lib/coordination/poly";
import { fromPublished } from "../lib/coordination/representation";
import { runCoordinate, runPostCoordinate } from "./coordination";
import { runRegionPrepare } from "./region";
import type { RegionJobOptions } from "./protocol";

const json = (name: string) => writeNetworkJson(parseGridFile(`${name}.m`, readSharedCase(name)));
const quiet = () => {};
const PQ: RegionJobOptions = { units: "auto", der: { pShare: 0.25, qShare: 0.15 }, closeTies: false, methods: ["lds", "slc"], directions: 8, epsilonSteps: 0 };

describe("coordination in the solver worker", () => {
  it("publishes U_SLC with its balance cost, coordinates it at case30's bus 3 and dispatches the feeder at the set-point", async () => {
    const feeder = json("case33mg");
    const prepared = await runRegionPrepare({ network: feeder, options: PQ }, quiet);
    expect(prepared.costNote).toBeNull();
    expect(prepared.costModels.lds?.basis).toBe("lossless-balance");
    const cost = prepared.costModels.slc!;
    expect(cost.basis).toBe("loss-compensated-balance");
    const region = parsePublishedRegion(
      publishPqRegion(prepared.summary.pcc, "slc", prepared.slc!.polygon, prepared.slc!.areaMW2, { halfSpaces: prepared.lds!.halfSpaces, lossModel: prepared.slc!.lossModel, costModel: cost }),
    );
    // Published as numbers only: nothing names a bus, branch or unit of the feeder.
    expect(JSON.stringify(region)).not.toMatch(/der-|"bus|"branch|"unit/);

    const r = runCoordinate({ network: json("case30"), assignments: [{ regionId: "r1", label: "feeder A", tsBus: 3, region }], replaceDemand: false }, quiet);
    expect(r.status).toBe("optimal");
    const sp = r.setPoints[0];
    expect(sp).toMatchObject({ regionId: "r1", tsBus: 3, method: "slc", costBasis: "loss-compensated-balance" });
    // The set-point is in the region the TSO holds (its half-planes, to the OPF's feasibility tolerance 1e-6 p.u. = 1e-4 MW).
    for (const h of fromPublished(region).halfPlanes) expect(h.a * sp.pMw + h.b * sp.qMvar).toBeLessThanOrEqual(h.c + 1e-4);
    expect(sp.dsCostPerH).toBeCloseTo(polyDerivs(fromPublished(region).cost, [sp.pMw, sp.qMvar]), 9);
    expect(r.objective).toBeGreaterThan(r.tsCostPerH);

    const post = runPostCoordinate({ network: feeder, options: { kind: "pq", units: "auto", der: PQ.der, closeTies: false }, setPoint: { pMw: sp.pMw, qMvar: sp.qMvar } }, quiet);
    // Inside the published inner polytope: the local OPF dispatches within every limit.
    expect(post.post.status).toBe("within-limits");
    // The PCC holds the set-point (the local OPF fixes the exchange; 1 kW/1 kVAr).
    expect(Math.abs(post.post.pccPMw - sp.pMw)).toBeLessThan(1e-3);
    expect(Math.abs(post.post.pccQMvar - sp.qMvar)).toBeLessThan(1e-3);
    expect(post.units).toHaveLength(post.post.unitP.length);
    expect(post.buses.vmPu.length).toBe(post.buses.ids.length);
  }, 60_000);

  it("refuses a transmission grid without gencost, an unknown PCC bus and a region without cost, with clear messages", async () => {
    const feeder = json("case33mg");
    const prepared = await runRegionPrepare({ network: feeder, options: PQ }, quiet);
    const region = publishPqRegion(prepared.summary.pcc, "lds", prepared.lds!.polygon, prepared.lds!.areaMW2, { halfSpaces: prepared.lds!.halfSpaces, costModel: prepared.costModels.lds! });
    const ts = json("case30");
    const run =
      (network: string, tsBus: number, reg = region) =>
      () =>
        runCoordinate({ network, assignments: [{ regionId: "r", label: "A", tsBus, region: reg }], replaceDemand: false }, quiet);
    expect(run(ts, 999)).toThrow(/PCC bus 999 is not a bus of the transmission grid/);
    const { costModel: _c, ...noCost } = region;
    expect(run(ts, 3, noCost)).toThrow(/carries no cost model/);
    const withoutCost = JSON.parse(ts) as { generators: { cost?: unknown }[] };
    for (const g of withoutCost.generators) delete g.cost;
    expect(run(JSON.stringify(withoutCost), 3)).toThrow(/has no cost: the coordination needs mpc.gencost/);
  }, 60_000);

  it("coordinates a PQV region (voltage-coupled) and dispatches the feeder with the PCC voltage at the set-point", async () => {
    const feeder = json("case33mg");
    const r = await computePqvRegion(parseGridFile("case33mg.m", readSharedCase("case33mg")), { directions: 60, degrees: [2, 4] });
    const region = parsePublishedRegion(
      publishPqvRegion({
        vRange: r.problem.vRange!,
        box: r.trace.box,
        polynomial: r.polynomial,
        costModel: r.costModel,
        fit: { heldOutError: r.fit.heldOutError, accuracy: r.fit.accuracy },
        hull: r.hull,
      }),
    );
    expect("hull" in region ? region.hull?.planes.length : 0).toBe(r.hull.planes.length);
    const c = runCoordinate({ network: json("case30"), assignments: [{ regionId: "q", label: "PQV feeder", tsBus: 3, region }], replaceDemand: false }, quiet);
    expect(c.status).toBe("optimal");
    const sp = c.setPoints[0];
    expect(sp.method).toBe("pqv");
    // The PCC voltage is a variable of the TSO's OPF, inside the region's voltage range.
    expect(sp.vPu).toBeGreaterThanOrEqual(r.problem.vRange![0] - 1e-6);
    expect(sp.vPu).toBeLessThanOrEqual(r.problem.vRange![1] + 1e-6);
    const post = runPostCoordinate(
      { network: feeder, options: { kind: "pqv", vRange: r.problem.vRange!, closeTies: false, unitListJson: null }, setPoint: { pMw: sp.pMw, qMvar: sp.qMvar, vPu: sp.vPu } },
      quiet,
    );
    // Inside the published inner polytope: the local OPF dispatches within every limit.
    expect(post.post.status).toBe("within-limits");
    // The PCC holds (p, q, v) of the set-point: 1 kW/1 kVAr and 1e-4 p.u. (the voltage is fixed in the local OPF).
    expect(Math.abs(post.post.pccPMw - sp.pMw)).toBeLessThan(1e-3);
    expect(Math.abs(post.post.pccVPu - sp.vPu)).toBeLessThan(1e-4);
  }, 120_000);
});
