import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { Api, fileForm, hasBuild, ROOT, startServer, tempPostgres, type Server } from "@/lib/testing/servers";

// Two `next start` processes on two ports sharing one PostgreSQL database: a session made on
// one is valid on the other (and ends on both), data written through one is read through
// the other, and a race between them for a unit's last megawatt lets exactly one win.
// Runs when FLEXPLAT_E2E_PG_URL names a PostgreSQL server (scripts/test.sh starts one).

const PG = process.env.FLEXPLAT_E2E_PG_URL;
test.describe.configure({ mode: "serial", timeout: 300_000 });
test.skip(!hasBuild(), "no production build in .next/ (npm run build; npm test builds first)");
test.skip(!PG, "no PostgreSQL server: FLEXPLAT_E2E_PG_URL is unset (scripts/test.sh sets it through scripts/with-postgres.sh)");

let a: Server;
let b: Server;

test.beforeAll(async () => {
  const db = await tempPostgres(PG!, "flexplat_e2e_two_servers");
  // Both start at once: the migrations and the demo seeding serialize on advisory locks.
  [a, b] = await Promise.all([startServer(db), startServer(db)]);
});
test.afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
});

test("a session made on server A is valid on server B, and signing out on B ends it on A", async () => {
  const onA = await Api.signIn(a.url, "dso-bergwald");
  const onB = onA.on(b.url);
  expect((await onB.json<{ user: { username: string } }>("/api/auth/me")).user.username).toBe("dso-bergwald");
  expect((await onB.fetch("/api/auth/signout", { method: "POST" })).status).toBeLessThan(400);
  expect((await onA.fetch("/api/auth/me")).status).toBe(401);
});

test("a grid uploaded on B is listed and served on A; deleted on A, it is gone on B", async () => {
  const onB = await Api.signIn(b.url, "dso-rheintal");
  const onA = onB.on(a.url);
  const form = fileForm("file", "case9.m", readFileSync(join(ROOT, "..", "shared", "cases", "matpower", "case9.m"), "utf8"));
  form.set("name", "Two-servers case9");
  const { grid } = await onB.json<{ grid: { id: string; busCount: number } }>("/api/grids", { method: "POST", body: form }, 201);
  const listed = (await onA.json<{ grids: { id: string; name: string }[] }>("/api/grids")).grids;
  expect(listed.find((g) => g.id === grid.id)?.name).toBe("Two-servers case9");
  expect(JSON.parse(await (await onA.fetch(`/api/grids/${grid.id}/network`)).text()).buses).toHaveLength(grid.busCount);
  expect((await onA.fetch(`/api/grids/${grid.id}`, { method: "DELETE" })).status).toBeLessThan(300);
  expect((await onB.fetch(`/api/grids/${grid.id}`)).status).toBe(404);
});

test("two uploads racing on A and B for a unit's last megawatt: exactly one is stored", async () => {
  const onA = await Api.signIn(a.url, "agg-evfleet");
  const onB = onA.on(b.url);
  for (const p of (await onA.json<{ portfolios: { id: string }[] }>("/api/portfolios")).portfolios) {
    expect((await onA.fetch(`/api/portfolios/${p.id}`, { method: "DELETE" })).status).toBe(204);
  }
  const csv = await (await onA.fetch("/api/portfolios/template")).text();
  const rename = (text: string, suffix: string) => text.replace(/^([^,\n]+),/gm, (m, id: string) => (id === "bidId" ? m : `${id}-${suffix},`));
  const [ra, rb] = await Promise.all([
    onA.fetch("/api/portfolios", { method: "POST", body: fileForm("file", "a.csv", rename(csv, "a"), "text/csv") }),
    onB.fetch("/api/portfolios", { method: "POST", body: fileForm("file", "b.csv", rename(csv, "b"), "text/csv") }),
  ]);
  expect([ra.status, rb.status].sort(), `${await ra.clone().text()} | ${await rb.clone().text()}`).toEqual([201, 400]);
  expect((await onB.json<{ portfolios: unknown[] }>("/api/portfolios")).portfolios).toHaveLength(1);
});
