import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { apiAs, signInWithForm } from "./support/accounts";
import { expectTracerSeesTheBlock, traceMainThread } from "./support/long-tasks";
import { note } from "./support/notes";
import { settleFrames } from "./support/pixels";

const ARTIFACTS = join(process.cwd(), "e2e-artifacts");
const BERGWALD = "Bergwald (generated district)";

/** The DSO view's light-model panel, as the operator uses it. */
class LightModelPanel {
  readonly panel: Locator;
  readonly compute: Locator;
  readonly result: Locator;
  readonly points: Locator;
  readonly boundary: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId("light-model-panel");
    this.compute = page.getByTestId("lm-compute");
    this.result = page.getByTestId("lm-result");
    this.points = page.getByTestId("lm-points");
    this.boundary = page.getByTestId("lm-boundary");
  }

  async open(grid: string) {
    await this.page.getByTestId("grid-list").getByRole("button", { name: grid }).click();
    await expect(this.page.getByTestId("grid-list").getByRole("button", { name: grid })).toHaveAttribute("aria-current", "true");
    await expect(this.panel).toBeVisible();
  }

  /** Every distinct label the progress bar shows from now on. */
  async recordProgress() {
    await this.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __lmProgress: string[] }).__lmProgress = seen;
      new MutationObserver(() => {
        const label = document.querySelector('[data-testid="lm-progress"] .progress-label')?.textContent;
        if (label && seen.at(-1) !== label) seen.push(label);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  progressSeen(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __lmProgress: string[] }).__lmProgress);
  }

  plot(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
}

// The main thread is measured with Chromium's own trace (traceMainThread): on this 2-core
// machine a busy worker preempts the page and tasks of a few ms of CPU last 50-300 ms by the
// clock (CI saw 68-86 ms "long tasks" of the Long Tasks API here), so the check is on CPU time.
// Playwright's trace, which snapshots the DOM on that thread, stays off.
test.use({ trace: "off" });

test.describe("DSO: the light model of a grid, computed in the browser and published to the TSO", () => {
  test("Bergwald: three operating points in the worker with progress, VTDF/LTDF heatmaps, the boundary, then publish", async ({ page, baseURL }) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(e.message));
    await signInWithForm(page, "dso-bergwald");
    await expect(page).toHaveURL(/\/dso/);
    const lm = new LightModelPanel(page);
    await lm.open(BERGWALD);

    // The defaults are the paper's: none, half and all activated, reactive on, every element monitored.
    for (const p of ["none", "half", "all"]) await expect(page.getByTestId(`lm-op-${p}`)).toBeChecked();
    for (const p of ["half-down", "all-down"]) await expect(page.getByTestId(`lm-op-${p}`)).not.toBeChecked();
    await expect(page.getByTestId("lm-reactive")).toBeChecked();
    await expect(page.getByTestId("lm-monitor-all")).toBeChecked();

    await expectTracerSeesTheBlock(page);
    await lm.recordProgress();
    const job = await traceMainThread(page, { start: "flexplat:lm-start", end: "flexplat:lm-end" }, async () => {
      await lm.compute.click();
      await expect(lm.result).toBeVisible({ timeout: 60_000 });
    });
    const seen = await lm.progressSeen();
    note("lm-progress", seen.join(" | "));
    expect(
      seen.some((s) => s.startsWith("AC power flows")),
      "progress shows the power flows",
    ).toBe(true);
    expect(
      seen.some((s) => s.startsWith("Sensitivities from the Jacobian")),
      "progress shows the sensitivities",
    ).toBe(true);

    const summary = page.getByTestId("lm-summary");
    await expect(summary).toContainText("235 flexibility locations");
    await expect(summary).toContainText("monitored 499 of 499 buses and 499 of 499 branches");
    note("lm-compute", (await summary.textContent())!.replace(/\s+/g, " "));
    note("lm-main-thread", `${job.spanMs.toFixed(0)} ms, tasks over 50 ms by the clock: ${JSON.stringify(job.tasks)}`);
    // Sensitivities run in the worker; the one task allowed is the one that receives the 15 MB result.
    const heavy = job.tasks.filter((t) => t.cpuMs > 50);
    expect(
      heavy.filter((t) => !t.holdsEnd),
      "no task of more than 50 ms CPU but the result's arrival",
    ).toEqual([]);
    expect(heavy.length).toBeLessThanOrEqual(1);

    const rows = lm.points.locator("tbody tr");
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText("no flexibility activated");
    await expect(rows.nth(2)).toContainText("all offered upward flexibility");
    for (let k = 0; k < 3; k++) await expect(rows.nth(k)).toContainText("converged");
    await expect(rows.nth(2).locator("td").nth(4)).toHaveText(/^1\d\d\.\d$/); // all flexibility overloads a branch

    for (const id of ["lm-heatmap-vtdf", "lm-heatmap-ltdf", "lm-profiles"]) await expect(lm.plot(id)).toHaveAttribute("data-state", "drawn", { timeout: 30_000 });
    await expect(lm.plot("lm-heatmap-vtdf").locator(".hm image, .heatmaplayer image")).toHaveCount(1);
    await expect(lm.plot("lm-profiles").locator(".scatterlayer .trace")).toHaveCount(5); // three points and two limits
    // The reactive matrices as well.
    await page.getByTestId("lm-heatmap-q").check();
    await expect(lm.plot("lm-heatmap-ltdf").locator(".gtitle")).toContainText("per MVAr");
    await expect(lm.plot("lm-heatmap-ltdf")).toHaveAttribute("data-state", "drawn");

    // What crosses the boundary: the light model's fields and sizes, and what never does.
    await expect(lm.boundary).toContainText("operatingPoints[].vtdf");
    await expect(lm.boundary).toContainText("3 x 499 x 235");
    await expect(lm.boundary).toContainText("operatingPoints[].ltdfQ");
    await expect(page.getByTestId("lm-never-crosses")).toContainText("Impedances");
    await expect(page.getByTestId("lm-never-crosses")).toContainText("Coordinates");
    const modelId = (await lm.boundary.locator("th").first().textContent())!.match(/lm-[0-9a-f]{12}/)![0];
    await settleFrames(page);
    await lm.panel.screenshot({ path: join(ARTIFACTS, "dso-light-model.png") });

    // Download: exactly the light model, with opaque ids.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("lm-download").click()]);
    expect(download.suggestedFilename()).toBe(`light-model-${modelId}.json`);

    // Publish: the TSO's API now serves this model for Bergwald.
    await page.getByTestId("lm-publish").click();
    await expect(page.getByTestId("lm-saved")).toContainText("Published");
    const stored = page.getByTestId("lm-stored-row");
    await expect(stored.first()).toHaveAttribute("data-published", "true");
    await expect(page.locator('[data-testid="lm-stored-row"][data-published="true"]')).toHaveCount(1);
    const tso = await apiAs(baseURL!, "tso");
    const { lightModels } = (await (await tso.get("/api/tso/light-models")).json()) as { lightModels: { gridName: string; model: { modelId: string } }[] };
    expect(lightModels.find((m) => m.gridName === BERGWALD)?.model.modelId).toBe(modelId);
    expect(failures, "no uncaught errors in the page").toEqual([]);
  });

  test("a custom point beyond the offer is refused by name; a running computation can be cancelled", async ({ page }) => {
    await signInWithForm(page, "dso-bergwald");
    const lm = new LightModelPanel(page);
    await lm.open(BERGWALD);
    await page.getByTestId("lm-custom-pct").fill("150");
    await page.getByTestId("lm-custom-add").click();
    await expect(page.getByTestId("lm-custom-chip")).toHaveText(/150 %/);
    await lm.compute.click();
    await expect(page.getByTestId("lm-error")).toContainText("custom operating point 1: the fraction must lie between -1 (all downward) and 1 (all upward), got 1.5");

    await page.getByRole("button", { name: "Remove custom point 1" }).click();
    for (const p of ["half-down", "all-down"]) await page.getByTestId(`lm-op-${p}`).check();
    await lm.compute.click();
    await page.getByTestId("lm-cancel").click();
    await expect(page.getByTestId("lm-cancelled")).toBeVisible();
    await expect(lm.compute).toBeEnabled();
  });
});
