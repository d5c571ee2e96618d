import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { apiAs, signInWithForm } from "./support/accounts";
import { expectTracerSeesTheBlock, traceMainThread } from "./support/long-tasks";
import { note } from "./support/notes";
import { pixelStats, settleFrames } from "./support/pixels";

const ARTIFACTS = join(process.cwd(), "e2e-artifacts");
const BERGWALD = "Bergwald (generated district)";
const RHEINTAL = "Rheintal (generated district)";

/** The TSO view, as the TSO's market operator uses it. */
class TsoPage {
  readonly request: Locator;
  readonly run: Locator;
  readonly status: Locator;
  readonly total: Locator;
  readonly validation: Locator;

  constructor(readonly page: Page) {
    this.request = page.getByTestId("tso-request");
    this.run = page.getByTestId("tso-run");
    this.status = page.getByTestId("clearing-status");
    this.total = page.getByTestId("clearing-total");
    this.validation = page.getByTestId("validation-table");
  }

  async open() {
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "TSO clearing" }).click();
    await expect(this.page).toHaveURL(/\/tso$/);
    await expect(this.page.getByTestId("tso-light-models")).toContainText(BERGWALD);
    await expect(this.page.getByTestId("tso-bid-summary")).toBeVisible({ timeout: 30_000 });
    await expect(this.run).toBeEnabled();
  }

  /** Enter P_E and run; resolves when this run's result is on the page. */
  async clear(mw: string, opts: { verified?: boolean } = {}) {
    await this.request.fill(mw);
    if (opts.verified) await this.page.getByTestId("tso-verified").check();
    const before = await this.page.evaluate(() => performance.getEntriesByName("flexplat:clear-end").length);
    await this.run.click();
    await expect.poll(() => this.page.evaluate(() => performance.getEntriesByName("flexplat:clear-end").length), { timeout: 90_000 }).toBeGreaterThan(before);
    // The whole clearing (with validation, and every iteration when verified) is done when Run is enabled again.
    await expect(this.run).toBeEnabled({ timeout: 90_000 });
    await expect(this.status).toBeVisible();
  }

  map(which: "before" | "after"): Locator {
    return this.page.getByTestId(`demo-map-${which}`);
  }
}

// The main thread is measured with Chromium's own trace (traceMainThread): on this 2-core
// machine a busy worker preempts the page and tasks of a few ms of CPU last 50-300 ms by the
// clock (CI saw 68-86 ms "long tasks" of the Long Tasks API here), so the check is on CPU time.
// Playwright's trace, which snapshots the DOM on that thread, stays off.
test.use({ trace: "off" });

test.describe("TSO: balancing energy cleared in the browser against the DSOs' light models", () => {
  test("1.8 MW: optimal in the worker, no violation on the DSO side, congestion before and none after on the demonstrator map", async ({ page }) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(e.message));
    await signInWithForm(page, "tso");
    const tso = new TsoPage(page);
    await tso.open();
    await expect(page.getByTestId("tso-light-models").locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("tso-bid-count")).toContainText(/^\d{4} bids at opaque locations/);
    await expect(tso.request).toHaveValue("1.8");
    // The demonstrator's "before" map is drawn already; let it settle before measuring the main thread.
    await page.getByRole("button", { name: BERGWALD }).click();
    await expect(tso.map("before")).toHaveAttribute("data-map-state", "ready", { timeout: 45_000 });

    await expectTracerSeesTheBlock(page);
    const t0 = Date.now();
    const worker = await traceMainThread(page, { start: "flexplat:clear-start", end: "flexplat:clear-end" }, () => tso.clear("1.8"));
    note("tso-clearing", `${Date.now() - t0} ms from the click to the result; ${(await page.getByTestId("clearing-times").textContent())!.replace(/\s+/g, " ")}`);
    note("tso-main-thread", `clearing in the worker for ${worker.spanMs.toFixed(0)} ms, tasks over 50 ms by the clock: ${JSON.stringify(worker.tasks)}`);
    expect(
      worker.tasks.filter((t) => t.cpuMs > 50),
      "no main-thread task of more than 50 ms CPU while the worker clears",
    ).toEqual([]);

    await expect(tso.status).toHaveAttribute("data-status", "optimal");
    await expect(tso.total).toContainText("1.800");
    await expect(page.getByTestId("clearing-grids").locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("dispatch-table").locator("tbody tr").first()).toHaveAttribute("data-state", "full");

    // Validation on the DSO side (Table I): both grids, no violation.
    const rows = tso.validation.getByTestId("validation-row");
    await expect(rows).toHaveCount(2);
    for (let k = 0; k < 2; k++) {
      await expect(rows.nth(k)).toHaveAttribute("data-violations", "0");
      await expect(rows.nth(k)).toHaveAttribute("data-verdict", "no violation");
      const vmae = Number(await rows.nth(k).getByTestId("validation-vmae").textContent());
      const lmae = Number(await rows.nth(k).getByTestId("validation-lmae").textContent());
      note("validation", `${await rows.nth(k).locator("td").first().textContent()}: voltage MAE ${vmae} p.u., loading MAE ${lmae} %`);
      expect(vmae).toBeLessThan(1e-3);
      expect(lmae).toBeLessThan(0.1);
    }
    const plots = page.getByTestId("validation-card").locator('[data-testid$="-plot"]');
    await expect(plots).toHaveCount(4);
    for (let k = 0; k < 4; k++) await expect(plots.nth(k)).toHaveAttribute("data-state", "drawn", { timeout: 30_000 });
    await expect(page.getByTestId("tso-runs").locator("tbody tr").first()).toContainText("optimal");

    // The demonstrator map of Bergwald: all bids activated congest it (red), the cleared dispatch does not.
    await expect(page.getByTestId("demo-label")).toHaveText("Demonstrator mode — enabled by the DSO");
    const before = tso.map("before");
    const after = tso.map("after");
    await expect(after).toHaveAttribute("data-map-state", "ready", { timeout: 45_000 });
    await expect(before).toHaveAttribute("data-congested-lines", /^[1-9]\d*$/);
    await expect(after).toHaveAttribute("data-congested-lines", "0");
    await settleFrames(page, 5);
    const beforeStats = await pixelStats(page, await before.screenshot({ path: join(ARTIFACTS, "tso-before.png") }));
    const afterStats = await pixelStats(page, await after.screenshot({ path: join(ARTIFACTS, "tso-after.png") }));
    note("tso-map-pixels", `before ${JSON.stringify(beforeStats)}; after ${JSON.stringify(afterStats)}`);
    for (const s of [beforeStats, afterStats]) {
      expect(s.lumaStd, "the map is not blank").toBeGreaterThan(12);
      expect(s.green, "grid lines are drawn in their loading colours").toBeGreaterThan(2000);
    }
    // The congested cables are the short feeder heads at the substations: a few hundred red pixels on this map.
    expect(beforeStats.red, "congested lines are drawn thick and red before clearing").toBeGreaterThan(200);
    expect(afterStats.red, "nothing red after clearing").toBeLessThan(30);
    await page.screenshot({ path: join(ARTIFACTS, "tso-view.png"), fullPage: true });
    expect(failures, "no uncaught errors in the page").toEqual([]);
  });

  test("10 MW is infeasible: the message names the largest deliverable amount, nothing is activated", async ({ page }) => {
    await signInWithForm(page, "tso");
    const tso = new TsoPage(page);
    await tso.open();
    await tso.clear("10");
    await expect(tso.status).toHaveAttribute("data-status", "infeasible");
    const message = (await page.getByTestId("clearing-message").textContent())!;
    note("infeasible", message);
    const max = Number(message.match(/largest (?:deliverable amount|amount deliverable) without congestion is (\d+\.\d{3}) MW/)![1]);
    expect(max).toBeGreaterThan(1.8);
    expect(max).toBeLessThan(10);
    await expect(page.getByTestId("clearing-max-deliverable")).toContainText(max.toFixed(3));
    await expect(tso.total).toContainText("0.000");
    await expect(page.getByTestId("dispatch-table")).toContainText("Nothing activated");
    await expect(tso.validation).toHaveCount(0);
  });

  test("AC-verified 1.8 MW: re-linearized on the DSO side until the AC power flow agrees; a grid without demo mode shows only its PCC", async ({ page, baseURL }) => {
    // Rheintal's DSO switches the demonstrator off for this story (and on again after).
    const rheintal = await apiAs(baseURL!, "dso-rheintal");
    const { grids } = (await (await rheintal.get("/api/grids")).json()) as { grids: { id: string; name: string }[] };
    const rheintalId = grids.find((g) => g.name === RHEINTAL)!.id;
    expect((await rheintal.put(`/api/grids/${rheintalId}/demo-mode`, { data: { demoMode: false } })).status()).toBe(200);
    try {
      await signInWithForm(page, "tso");
      expect((await page.request.get(`/api/tso/grids/${rheintalId}/demo-map`)).status()).toBe(403);
      const tso = new TsoPage(page);
      await tso.open();
      await expect(page.getByTestId(`pcc-${rheintalId}`)).toContainText("only the point of common coupling");
      await tso.clear("1.8", { verified: true });
      await expect(tso.status).toHaveAttribute("data-status", "optimal");
      await expect(tso.total).toContainText("1.800");
      const iterations = page.getByTestId("iteration-row");
      note("verified", (await page.getByTestId("iterations-table").innerText()).replace(/\t/g, " "));
      expect(await iterations.count()).toBeGreaterThan(1);
      await expect(iterations.last()).toHaveAttribute("data-action", "accepted");
      await expect(page.getByTestId("verified-verdict")).toContainText("Verified after");
      const rows = tso.validation.getByTestId("validation-row");
      for (let k = 0; k < 2; k++) {
        await expect(rows.nth(k)).toHaveAttribute("data-violations", "0");
        expect(Number(await rows.nth(k).getByTestId("validation-vmae").textContent())).toBeLessThanOrEqual(1e-5);
      }
      await expect(page.getByTestId(`pcc-${rheintalId}`)).toContainText("verdict: no violation");
      await page.getByTestId("validation-card").screenshot({ path: join(ARTIFACTS, "tso-verified.png") });
    } finally {
      await rheintal.put(`/api/grids/${rheintalId}/demo-mode`, { data: { demoMode: true } });
    }
  });

  test("the TSO cannot probe a grid with a dispatch of its own choosing, and the DSO reads every request in its grid view", async ({ page, baseURL }) => {
    const tsoApi = await apiAs(baseURL!, "tso");
    const opened = await tsoApi.post("/api/tso/clearings", { data: { requestMw: 1.8 } });
    expect(opened.status()).toBe(201);
    const { clearing, market } = (await opened.json()) as { clearing: { id: string }; market: { grids: { lightModelId: string; gridId: string; bids: { location: string; volumeMw: number }[] }[] } };
    const bergwaldModel = (await (await tsoApi.get("/api/tso/light-models")).json()) as { lightModels: { id: string; gridName: string; model: { locations: string[] } }[] };
    const lm = bergwaldModel.lightModels.find((m) => m.gridName === BERGWALD)!;
    const offered = new Map<string, number>();
    for (const b of market.grids.find((g) => g.lightModelId === lm.id)!.bids) if (b.volumeMw > 0) offered.set(b.location, (offered.get(b.location) ?? 0) + b.volumeMw);
    const k = lm.model.locations.findIndex((id) => (offered.get(id) ?? 0) < 0.3);
    const locationMw = lm.model.locations.map((_, i) => (i === k ? 0.3 : 0));
    const probe = await tsoApi.post("/api/tso/relinearize", {
      data: { clearingId: clearing.id, lightModelId: lm.id, locationMw, locationMvar: locationMw.map(() => 0), pointIndex: 3, iteration: 1 },
    });
    expect(probe.status()).toBe(400);
    expect(((await probe.json()) as { error: string }).error).toMatch(/^0\.3 MW at location L-[0-9a-f]{6} lies outside what the published bids offer there/);

    const dso = await apiAs(baseURL!, "dso-bergwald");
    const bergwaldId = ((await (await dso.get("/api/grids")).json()) as { grids: { id: string; name: string }[] }).grids.find((g) => g.name === BERGWALD)!.id;
    await signInWithForm(page, "dso-bergwald");
    await page.goto(`/dso?grid=${bergwaldId}`);
    const trail = page.getByTestId("tso-requests");
    await expect(trail.getByTestId("tso-request-row").first()).toHaveAttribute("data-accepted", "false");
    await expect(trail.getByTestId("tso-request-row").first()).toContainText("re-linearization");
    await expect(trail.getByTestId("tso-request-row").first()).toContainText("lies outside what the published bids offer there");
    // The clearings of the stories before: answered validations and re-linearizations, each with its dispatch by location and bus.
    const answered = trail.locator('[data-testid="tso-request-row"][data-accepted="true"]');
    expect(await answered.count()).toBeGreaterThan(2);
    await expect(answered.filter({ hasText: "re-linearization" }).first()).toBeVisible();
    await answered.first().getByRole("button").click();
    await expect(trail.getByTestId("tso-request-dispatch").locator("tbody tr").first()).toContainText(/^L-[0-9a-f]{6}\d+/);
    await trail.screenshot({ path: join(ARTIFACTS, "dso-tso-requests.png") });
  });

  test("only the TSO opens the view: a DSO gets the 403 page and the TSO API answers 403", async ({ page }) => {
    await signInWithForm(page, "dso-bergwald");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "TSO clearing" })).toHaveCount(0);
    const res = await page.goto("/tso");
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("Access denied");
    for (const path of ["/api/tso/light-models", "/api/tso/bids", "/api/tso/runs"]) expect((await page.request.get(path)).status(), path).toBe(403);
  });
});
