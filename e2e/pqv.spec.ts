import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { apiAs, signInWithForm } from "./support/accounts";
import { DsoPage } from "./support/dso-page";
import { expectTracerSeesTheBlock, traceMainThread } from "./support/long-tasks";
import { closeSeparatePages, separatePage } from "./support/separate-pages";

test.afterEach(closeSeparatePages);

const ARTIFACTS = join(process.cwd(), "e2e-artifacts");

// The main thread is measured with Chromium's own trace (traceMainThread): on this 2-core
// machine a busy worker preempts the page and tasks of 3-27 ms of CPU last 50-290 ms by the
// clock (measured on the district's region job), so the check is on CPU time. Playwright's
// trace, which snapshots the DOM on that thread, stays off here.
test.use({ trace: "off" });

function note(type: string, description: string) {
  test.info().annotations.push({ type, description });
  console.log(`[${type}] ${description}`);
}

test("DSO: the PQV region of the district in the workers, drawn in 3-D, published; the TSO sees the coefficients only", async ({ page, browser, baseURL }) => {
  test.setTimeout(420_000);
  await signInWithForm(page, "dso-bergwald");
  const dso = new DsoPage(page);
  await dso.selectGrid("Bergwald (generated district)");
  // A settled page first (Plotly loaded, the map's power flow shown), so the window measures the job.
  await expect.poll(() => page.evaluate(() => performance.getEntriesByName("flexplat:plotly-loaded").length), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId("map-flow-summary")).toContainText(/branch/, { timeout: 60_000 });
  const panel = page.getByTestId("pqv-panel");
  await expectTracerSeesTheBlock(page);
  const t0 = Date.now();
  const run = await traceMainThread(page, { start: "flexplat:pqv-start", end: "flexplat:pqv-end" }, async () => {
    await panel.getByTestId("pqv-compute").click();
    await expect(panel.getByTestId("pqv-summary")).toContainText("boundary points", { timeout: 400_000 });
  });
  note("pqv-district", `${Date.now() - t0} ms wall; ${await panel.getByTestId("pqv-summary").innerText()}; tasks over 50 ms by the clock: ${JSON.stringify(run.tasks)}`);
  note("pqv-fit", `${await panel.getByTestId("pqv-accuracy").innerText()} | ${await panel.getByTestId("pqv-cost-quality").innerText()}`);
  expect(
    run.tasks.filter((t) => t.cpuMs > 50),
    "no main-thread task of more than 50 ms CPU while the workers compute",
  ).toEqual([]);
  const plot = panel.getByTestId("pqv-plot");
  await expect(plot).toHaveAttribute("data-state", "drawn", { timeout: 60_000 });
  // The 3-D scene has its WebGL canvas, and both traces are in the legend.
  await expect(plot.locator(".gl-container canvas").first()).toBeVisible();
  await expect(plot.locator(".legendtext").filter({ hasText: "boundary points (AC-OPF)" })).toHaveCount(1);
  await expect(panel.getByTestId("pqv-slices")).toHaveAttribute("data-state", "drawn", { timeout: 30_000 });
  const sign = (await panel.getByTestId("pqv-accuracy").innerText()).match(/Sign test[^:]*: ([\d.]+) %/);
  expect(Number(sign?.[1])).toBeGreaterThanOrEqual(95);
  // The inner polytope: every AC-OPF-checked point inside it was feasible.
  const inner = (await panel.getByTestId("pqv-hull").innerText()).match(/(\d+) planes.*inside it: (\d+) of (\d+) feasible/s);
  note("pqv-hull", await panel.getByTestId("pqv-hull").innerText());
  expect(Number(inner?.[1])).toBeGreaterThanOrEqual(4);
  expect(Number(inner?.[3])).toBeGreaterThan(0);
  expect(Number(inner?.[2])).toBe(Number(inner?.[3]));
  await page.screenshot({ path: join(ARTIFACTS, "dso-pqv.png"), fullPage: true });
  await panel.getByTestId("pqv-publish").click();
  await expect(panel.getByTestId("pqv-published")).toBeVisible();

  const tsoPage = await separatePage(browser);
  await signInWithForm(tsoPage, "tso");
  const table = tsoPage.getByTestId("tso-pqv-regions");
  await expect(table).toContainText("Bergwald (generated district)");
  await expect(table).toContainText("R²");
  await tsoPage.screenshot({ path: join(ARTIFACTS, "tso-pqv.png"), fullPage: true });
  const api = await apiAs(baseURL!, "tso");
  const body = (await (await api.get("/api/tso/regions")).json()) as { regions: { kind: string; region: Record<string, unknown> }[] };
  const pqv = body.regions.find((r) => r.kind === "pqv")!;
  expect(Object.keys(pqv.region).sort()).toEqual(["axes", "box", "costModel", "createdAt", "fit", "hull", "polynomial", "regionId", "schema", "vRange", "version"].sort());
  // The inner polytope: planes a·p + b·q + c·v ≤ d only (its vertices are PCC exchanges, no unit's dispatch).
  const hull = pqv.region.hull as { planes: number[][] };
  expect(Object.keys(hull)).toEqual(["planes"]);
  expect(hull.planes.length).toBeGreaterThanOrEqual(4);
  for (const plane of hull.planes) expect(plane.every((x) => Number.isFinite(x)) && plane.length === 4).toBe(true);
  expect(JSON.stringify(body)).not.toMatch(/pv-b\d|bat-b\d|ev-b\d|hp-b\d|"boundary"/);
});
