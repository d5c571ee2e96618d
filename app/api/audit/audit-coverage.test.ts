import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import * as adminPassword from "../admin/users/[id]/password/route";
import * as adminUsers from "../admin/users/route";
import * as signout from "../auth/signout/route";
import * as bcmRun from "../bcm/run/route";
import * as publish from "../grids/[id]/light-models/[lightModelId]/publish/route";
import * as grid from "../grids/[id]/route";
import * as runs from "../grids/[id]/runs/route";
import * as clearings from "../tso/clearings/route";

useTestDatabase();

function json(body: unknown, requestId: string, cookie: string) {
  return { cookie, body: JSON.stringify(body), headers: { "content-type": "application/json", "x-request-id": requestId } };
}

/** The one event of a request, checked to be "ok" and echoed in the response. */
async function okEvent(res: Response, requestId: string) {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  expect(res.headers.get("x-request-id")).toBe(requestId);
  const events = await (await getPrisma()).auditEvent.findMany({ where: { requestId } });
  expect(events, requestId).toHaveLength(1);
  expect(events[0].outcome).toBe("ok");
  return events[0];
}

describe("every kind of state change leaves one ok event with its request id, owned by whose object it is", () => {
  it("DSO, aggregator, TSO, administrator and sign-out", async () => {
    const prisma = await getPrisma();
    const users = Object.fromEntries((await prisma.user.findMany()).map((u) => [u.username, u.id])) as Record<string, string>;
    const [dso, agg, tso, admin] = await Promise.all(["dso-bergwald", "agg-solarpool", "tso", "admin"].map(sessionCookie));
    const bergwald = await prisma.grid.findFirstOrThrow({ where: { ownerId: users["dso-bergwald"] }, include: { lightModels: true } });

    const run = { status: "converged", converged: true, iterations: 3, vmMinPu: 0.97, vmMinBusId: 101, lossPMw: 0.015, lossQMvar: 0.02, maxLoadingPct: 61.4, solveMs: 300 };
    expect(await okEvent(await runs.POST(apiRequest("POST", `/api/grids/${bergwald.id}/runs`, json(run, "c-pf", dso)), routeContext({ id: bergwald.id })), "c-pf")).toMatchObject({
      action: "powerflow.run",
      objectType: "powerFlowRun",
      ownerId: users["dso-bergwald"],
      userId: users["dso-bergwald"],
    });
    expect(
      await okEvent(
        await grid.PATCH(apiRequest("PATCH", `/api/grids/${bergwald.id}`, json({ name: "Bergwald (generated district)" }, "c-rename", dso)), routeContext({ id: bergwald.id })),
        "c-rename",
      ),
    ).toMatchObject({
      action: "grid.rename",
      objectId: bergwald.id,
      ownerId: users["dso-bergwald"],
    });
    const lm = bergwald.lightModels[0];
    expect(
      await okEvent(
        await publish.POST(
          apiRequest("POST", `/api/grids/${bergwald.id}/light-models/${lm.id}/publish`, { cookie: dso, headers: { "x-request-id": "c-publish" } }),
          routeContext({ id: bergwald.id, lightModelId: lm.id }),
        ),
        "c-publish",
      ),
    ).toMatchObject({
      action: "lightmodel.publish",
      objectType: "lightModel",
      objectId: lm.id,
      ownerId: users["dso-bergwald"],
    });
    expect(await okEvent(await bcmRun.POST(apiRequest("POST", "/api/bcm/run", json({ requestMw: 0.5 }, "c-bcm", agg))), "c-bcm")).toMatchObject({
      action: "bcm.run",
      objectType: "clearingRun",
      ownerId: users["agg-solarpool"],
      role: "AGGREGATOR",
    });
    expect(await okEvent(await clearings.POST(apiRequest("POST", "/api/tso/clearings", json({ requestMw: 1.8 }, "c-clearing", tso))), "c-clearing")).toMatchObject({
      action: "tso.clearing_open",
      objectType: "tsoClearing",
      ownerId: users.tso,
      role: "TSO",
    });
    const created = await okEvent(await adminUsers.POST(apiRequest("POST", "/api/admin/users", json({ username: "dso-new", displayName: "New DSO", role: "DSO" }, "c-create", admin))), "c-create");
    const newId = (await prisma.user.findUniqueOrThrow({ where: { username: "dso-new" } })).id;
    expect(created).toMatchObject({ action: "account.create", objectId: newId, ownerId: newId, userId: users.admin, role: "ADMIN" });
    expect(created.detail).not.toMatch(/password"/);
    const reset = await okEvent(await adminPassword.POST(apiRequest("POST", `/api/admin/users/${newId}/password`, json({}, "c-reset", admin)), routeContext({ id: newId })), "c-reset");
    expect(reset).toMatchObject({ action: "account.password_reset", objectId: newId, ownerId: newId });
    expect(await okEvent(await signout.POST(apiRequest("POST", "/api/auth/signout", { cookie: dso, headers: { "x-request-id": "c-signout" } })), "c-signout")).toMatchObject({
      action: "auth.signout",
      userId: users["dso-bergwald"],
      ownerId: users["dso-bergwald"],
    });
    // No generated password or hash ever lands in the trail.
    const all = await prisma.auditEvent.findMany();
    expect(all.some((e) => /scrypt\$|"password"/.test(e.detail ?? ""))).toBe(false);
  });
});
