import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { DEMO_PASSWORD } from "@/lib/server/demo-data";
import { publishedLightModels } from "@/lib/server/market";
import { hashPassword } from "@/lib/server/password";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { TSO_LIMITS } from "@/lib/server/tso-clearings";
import type { LightModel } from "@/lib/sensitivity/light-model";
import { runClear } from "@/solver-worker/clear";
import * as auditRoute from "../grids/[id]/tso-requests/route";
import * as clearingsRoute from "./clearings/route";
import * as relinRoute from "./relinearize/route";
import * as validateRoute from "./validate/route";
import type { TsoMarket, TsoValidation } from "@/lib/wire/tso";
import type { TsoRequestView } from "@/lib/wire/dso";

// The TSO probing a DSO's grid beyond what it published (issue 19): a dispatch of its own
// choosing, any number of grids, unbounded re-linearizations. Each now fails with a clear
// message, and the DSO reads every request in its audit trail.

useTestDatabase();

let tso: string;
let otherTso: string;
let dsoBergwald: string;
let dsoRheintal: string;
let models: { id: string; gridId: string; gridName: string; model: LightModel }[];

const json = (value: unknown) => ({ body: JSON.stringify(value), headers: { "content-type": "application/json" } });
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;
const open = async (cookie = tso, requestMw = 1.8) => {
  const res = await clearingsRoute.POST(apiRequest("POST", "/api/tso/clearings", { cookie, ...json({ requestMw }) }));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { clearing: { id: string; maxIterations: number }; market: TsoMarket };
};
const validate = (clearingId: string, grids: unknown[], iteration = 1, cookie = tso) =>
  validateRoute.POST(apiRequest("POST", "/api/tso/validate", { cookie, ...json({ clearingId, iteration, grids }) }));
const relinearize = (body: Record<string, unknown>, cookie = tso) => relinRoute.POST(apiRequest("POST", "/api/tso/relinearize", { cookie, ...json(body) }));
const audit = async (cookie: string, gridId: string) => auditRoute.GET(apiRequest("GET", `/api/grids/${gridId}/tso-requests`, { cookie }), routeContext({ id: gridId }));

/** A dispatch the market could deliver: the clearing of 1.8 MW over the clearing's bids. */
async function clearedDispatch(market: TsoMarket) {
  const r = await runClear(
    {
      requestMw: 1.8,
      grids: models.map((m) => ({ gridId: m.gridId, lightModelJson: JSON.stringify(m.model), bids: market.grids.find((g) => g.gridId === m.gridId)!.bids })),
      groups: market.groups,
      options: { reactive: true },
    },
    () => {},
  );
  return models.map((m, k) => ({
    lightModelId: m.id,
    selectedIndex: r.clearing.grids[k].selectedIndex,
    locationMw: Array.from(r.clearing.grids[k].locationMw),
    locationMvar: Array.from(r.clearing.grids[k].locationMvar),
    reactive: true,
  }));
}

beforeAll(async () => {
  const prisma = await getPrisma();
  await prisma.user.create({ data: { id: randomUUID(), username: "tso-2", displayName: "Second TSO desk", role: "TSO", passwordHash: await hashPassword(DEMO_PASSWORD) } });
  [tso, otherTso, dsoBergwald, dsoRheintal] = await Promise.all(["tso", "tso-2", "dso-bergwald", "dso-rheintal"].map(sessionCookie));
  models = await publishedLightModels(prisma);
});

describe("the TSO cannot probe a grid beyond the published offers", () => {
  it("refuses 0.3 MW at one chosen location, where the bids offer less, and the DSO sees the attempt", async () => {
    const { clearing, market } = await open();
    const m = models[0];
    const offered = new Map<string, number>();
    const down = new Map<string, number>();
    for (const b of market.grids.find((g) => g.lightModelId === m.id)!.bids) {
      const side = b.volumeMw > 0 ? offered : down;
      side.set(b.location, (side.get(b.location) ?? 0) + b.volumeMw);
    }
    const k = m.model.locations.findIndex((id) => (offered.get(id) ?? 0) < 0.3);
    const n = m.model.locations.length;
    const locationMw = new Array(n).fill(0);
    locationMw[k] = 0.3;
    const probe = { lightModelId: m.id, selectedIndex: 0, locationMw, locationMvar: new Array(n).fill(0), reactive: false };
    const res = await validate(clearing.id, [probe]);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe(
      `grids[0]: 0.3 MW at location ${m.model.locations[k]} lies outside what the published bids offer there (${(down.get(m.model.locations[k]) ?? 0).toFixed(6)} … ${(offered.get(m.model.locations[k]) ?? 0).toFixed(6)} MW)`,
    );
    const relin = await relinearize({ clearingId: clearing.id, lightModelId: m.id, locationMw, locationMvar: probe.locationMvar, pointIndex: 3, iteration: 1 });
    expect(relin.status).toBe(400);
    expect(await errorOf(relin)).toMatch(/^0\.3 MW at location L-[0-9a-f]{6} lies outside what the published bids offer there/);

    const trail = ((await (await audit(dsoBergwald, m.gridId)).json()) as { requests: TsoRequestView[] }).requests;
    expect(trail.slice(0, 2).map((r) => [r.kind, r.accepted, r.tso, r.clearingId, r.requestMw])).toEqual([
      ["relinearize", false, "TransGrid TSO (tso)", clearing.id, 1.8],
      ["validate", false, "TransGrid TSO (tso)", clearing.id, 1.8],
    ]);
    expect(trail[1].outcome).toMatch(/lies outside what the published bids offer there/);
    expect(trail[1].dispatch).toEqual([{ location: m.model.locations[k], bus: expect.any(Number), mw: 0.3, mvar: 0 }]);
    expect(trail[1].totalMw).toBeCloseTo(0.3, 12);
  });

  it("re-linearizes only at the dispatch the clearing validated last, and the DSO reads both requests", async () => {
    const { clearing, market } = await open();
    const dispatch = await clearedDispatch(market);
    const k = 0;
    const req = { clearingId: clearing.id, lightModelId: dispatch[k].lightModelId, locationMw: dispatch[k].locationMw, locationMvar: dispatch[k].locationMvar, pointIndex: 3, iteration: 1 };
    const early = await relinearize(req);
    expect(early.status).toBe(400);
    expect(await errorOf(early)).toBe("re-linearize only at the dispatch this clearing validated last for the grid (iteration none yet)");
    const v = await validate(clearing.id, dispatch);
    expect(v.status, await v.clone().text()).toBe(200);
    const halved = await relinearize({ ...req, locationMw: req.locationMw.map((x) => x / 2) });
    expect(halved.status).toBe(400);
    const ok = await relinearize(req);
    expect(ok.status).toBe(200);
    const trail = ((await (await audit(dsoBergwald, models[k].gridId)).json()) as { requests: TsoRequestView[] }).requests;
    expect(trail.slice(0, 4).map((r) => [r.kind, r.accepted, r.outcome.replace(/:.*/, "")])).toEqual([
      ["relinearize", true, "re-linearized"],
      ["relinearize", false, "re-linearize only at the dispatch this clearing validated last for the grid (iteration 1)"],
      ["validate", true, "no violation"],
      ["relinearize", false, "re-linearize only at the dispatch this clearing validated last for the grid (iteration none yet)"],
    ]);
    expect(trail[0].dispatch.length).toBe(dispatch[k].locationMw.filter((x, i) => x !== 0 || dispatch[k].locationMvar[i] !== 0).length);
  });

  it("takes each published grid of the clearing once per request, for a limited number of iterations", async () => {
    const { clearing, market } = await open();
    const dispatch = await clearedDispatch(market);
    const twice = await validate(clearing.id, [dispatch[0], dispatch[0]]);
    expect(twice.status).toBe(400);
    expect(await errorOf(twice)).toBe(`grids[1]: light model ${dispatch[0].lightModelId} is named twice; each grid once per request`);
    const prisma = await getPrisma();
    const unpublished = await prisma.lightModel.create({
      data: { ...(await prisma.lightModel.findUniqueOrThrow({ where: { id: models[0].id } })), id: randomUUID(), published: false, publishedAt: null, createdAt: new Date() },
    });
    const notPublished = await validate(clearing.id, [{ ...dispatch[0], lightModelId: unpublished.id }]);
    expect(await errorOf(notPublished)).toBe(`grids[0]: light model ${unpublished.id} is not one this clearing was opened with`);
    // The DSO sees that request too: the model is one of its grid's.
    const trail = ((await (await audit(dsoBergwald, models[0].gridId)).json()) as { requests: TsoRequestView[] }).requests;
    expect(trail[0]).toMatchObject({ lightModelId: unpublished.id, accepted: false, dispatch: [] });
    for (let it = 1; it <= TSO_LIMITS.iterations; it++) expect((await validate(clearing.id, [dispatch[1]], it)).status, `iteration ${it}`).toBe(200);
    const ninth = await validate(clearing.id, [dispatch[1]], TSO_LIMITS.iterations + 1);
    expect(ninth.status).toBe(400);
    expect(await errorOf(ninth)).toBe(`grids[0]: this clearing validated the grid 8 times already; the limit is 8`);
  });

  it("answers only in a clearing of the caller's own that is open: none, another account's, expired or stored", async () => {
    const { clearing, market } = await open();
    const dispatch = await clearedDispatch(market);
    const none = await validateRoute.POST(apiRequest("POST", "/", { cookie: tso, ...json({ iteration: 1, grids: dispatch }) }));
    expect(none.status).toBe(400);
    expect(await errorOf(none)).toMatch(/^clearingId: /);
    const theirs = await validate(clearing.id, dispatch, 1, otherTso);
    expect(theirs.status).toBe(404);
    expect(await errorOf(theirs)).toBe(`you have no clearing ${clearing.id}; open one first (POST /api/tso/clearings)`);
    const prisma = await getPrisma();
    const me = await prisma.user.findUniqueOrThrow({ where: { username: "tso" } });
    const run = await prisma.clearingRun.create({ data: { id: randomUUID(), kind: "tso", createdById: me.id, requestMw: 1.8, status: "optimal", totalMw: 1.8, resultJson: "{}" } });
    await prisma.tsoClearing.update({ where: { id: clearing.id }, data: { runId: run.id } });
    const stored = await validate(clearing.id, dispatch);
    expect(stored.status).toBe(409);
    expect(await errorOf(stored)).toBe(`clearing ${clearing.id} is finished (stored as run ${run.id}); open a new one`);
    await prisma.tsoClearing.update({ where: { id: clearing.id }, data: { runId: null, expiresAt: new Date(Date.now() - 1000) } });
    const expired = await validate(clearing.id, dispatch);
    expect(expired.status).toBe(409);
    expect(await errorOf(expired)).toBe(`clearing ${clearing.id} expired after 30 minutes; open a new one`);
  });

  it("stops a TSO account at its hourly quota (429), naming the limit; other accounts go on", async () => {
    const prisma = await getPrisma();
    const me = await prisma.user.findUniqueOrThrow({ where: { username: "tso" } });
    const used = await prisma.tsoRequest.count({ where: { userId: me.id } });
    const filler = Array.from({ length: TSO_LIMITS.requestsPerHour - used }, () => ({
      id: randomUUID(),
      userId: me.id,
      lightModelId: models[0].id,
      gridId: models[0].gridId,
      kind: "validate",
      iteration: 1,
      totalMw: 0,
      activeLocations: 0,
      accepted: true,
      outcome: "no violation",
    }));
    await prisma.tsoRequest.createMany({ data: filler });
    try {
      const { clearing, market } = await open();
      const dispatch = await clearedDispatch(market);
      const res = await validate(clearing.id, dispatch);
      expect(res.status).toBe(429);
      expect(await errorOf(res)).toMatch(/^quota: tso made 240 validation and re-linearization requests in the last hour; the limit is 240 per hour \(room again at \d\d:\d\d UTC\)$/);
      const other = await open(otherTso);
      const fine = await validate(other.clearing.id, dispatch, 1, otherTso);
      expect(fine.status).toBe(200);
      expect(((await fine.json()) as { validations: TsoValidation[] }).validations).toHaveLength(2);
    } finally {
      await prisma.tsoRequest.deleteMany({ where: { id: { in: filler.map((f) => f.id) } } });
    }
  });

  it("shows a grid's audit trail to its own DSO only", async () => {
    const m = models[0];
    expect((await audit(dsoRheintal, m.gridId)).status).toBe(403);
    expect((await audit(tso, m.gridId)).status).toBe(403);
    const own = await audit(dsoBergwald, m.gridId);
    expect(own.status).toBe(200);
    const { requests } = (await own.json()) as { requests: TsoRequestView[] };
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.every((r) => r.lightModelId === m.id || r.accepted === false)).toBe(true);
  });
});
