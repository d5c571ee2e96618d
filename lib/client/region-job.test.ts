import { describe, expect, it } from "vitest";
import { polyDerivs } from "@/lib/coordination/poly";
import { fromPublished } from "@/lib/coordination/representation";
import { parseGridFile, writeNetworkJson } from "@/lib/grid";
import { publishPqRegion } from "@/lib/regions/published";
import { readSharedCase } from "@/lib/testing/shared";
import { runPostCoordinate } from "@/solver-worker/coordination";
import { dispatch } from "@/solver-worker/handlers";
import type { FromWorker, RegionJobOptions, ToWorker } from "@/solver-worker/protocol";
import { runRegionJob } from "./region-job";
import { SolverClient, type WorkerLike } from "./solver-client";

/** The real handlers one macrotask later, messages structured-cloned (as solver-client.test.ts's stand-in). */
class InProcessWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: ToWorker): void {
    const copy = structuredClone(message);
    setTimeout(() => void dispatch(copy, (out) => this.onmessage?.({ data: structuredClone(out) } as MessageEvent<FromWorker>)), 0);
  }
  terminate(): void {}
}

const OPTIONS: RegionJobOptions = { units: "auto", der: { pShare: 0.25, qShare: 0.15 }, closeTies: false, methods: ["lds", "slc", "exact"], directions: 12, epsilonSteps: 2 };

describe("the PQ region job's cost of the exchange", () => {
  it("prices case33mg's exact region over two workers and publishes a quadratic that matches the DSO's own dispatch cost", async () => {
    const network = writeNetworkJson(parseGridFile("case33mg.m", readSharedCase("case33mg")));
    const clients = [0, 1].map(() => new SolverClient(() => new InProcessWorker()));
    const stages = new Set<string>();
    const r = await runRegionJob(clients, network, OPTIONS, (p) => stages.add(p.stage));
    expect([...stages]).toEqual(expect.arrayContaining(["prepare", "exact", "price", "compare"]));
    expect(r.exact!.polygon.length).toBeGreaterThanOrEqual(3);
    if (!r.exactCost || "error" in r.exactCost) throw new Error(`no cost: ${JSON.stringify(r.exactCost)}`);
    const { costModel } = r.exactCost;
    expect(costModel.basis).toBe("ac-fit");
    // A quadratic through 49 least costs of a single-DER feeder: R² ≥ 0.99 (the least cost is smooth in (p, q) inside the region).
    expect(costModel.r2!).toBeGreaterThanOrEqual(0.99);
    const region = publishPqRegion(r.prepared.summary.pcc, "exact", r.exact!.polygon, r.exact!.areaMW2, { costModel });
    const rep = fromPublished(region);
    // At the region's centroid the published cost agrees with the post-coordination dispatch's own cost: within 2 % of the
    // cost range over the region plus 1e-3 $/h (the fit's residual; both are least-cost AC-OPFs at the same exchange).
    const n = region.polygon.length;
    const c = [region.polygon.reduce((s, p) => s + p[0], 0) / n, region.polygon.reduce((s, p) => s + p[1], 0) / n];
    const post = runPostCoordinate({ network, options: { kind: "pq", units: "auto", der: OPTIONS.der, closeTies: false }, setPoint: { pMw: c[0], qMvar: c[1] } }, () => {});
    expect(post.post.status).toBe("within-limits");
    const costs = region.polygon.map((p) => polyDerivs(rep.cost, p));
    const range = Math.max(...costs) - Math.min(...costs);
    expect(Math.abs(polyDerivs(rep.cost, c) - post.post.costPerH)).toBeLessThanOrEqual(0.02 * range + 1e-3);
  }, 120_000);
});
