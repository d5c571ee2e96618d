import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { signInWithForm } from "./support/accounts";
import { DsoPage } from "./support/dso-page";
import { expectTracerSeesTheBlock, traceMainThread } from "./support/long-tasks";

const SHARED = process.env.FLEX_SHARED_DIR ?? join(process.cwd(), "..", "shared");
const caseFile = (name: string) => join(SHARED, "cases", "matpower", `${name}.m`);
const ARTIFACTS = join(process.cwd(), "e2e-artifacts");

// The main thread is measured with Chromium's own trace (traceMainThread): on this 2-core
// machine a busy worker preempts the page and tasks of a few ms of CPU last 50-300 ms by the
// clock (CI saw 68-86 ms "long tasks" of the Long Tasks API here), so the check is on CPU time.
// Playwright's trace, which snapshots the DOM on that thread, stays off.
test.use({ trace: "off" });

function note(type: string, description: string) {
  test.info().annotations.push({ type, description });
  console.log(`[${type}] ${description}`);
}

test.describe("DSO: AC optimal power flow in the worker", () => {
  test("case30: MATPOWER's cost, the LMP profile, the dispatch and the binding flow limits, no long task", async ({ page }) => {
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    await dso.upload(caseFile("case30"));
    await expect(page.getByTestId("upload-ok")).toContainText("case30: 30 buses, 41 branches imported");
    const panel = page.getByTestId("opf-panel");
    await expect(panel).toBeVisible();
    // Let the page settle first: the network diagram is laid out and drawn for the new grid.
    await dso.waitForDiagram();

    await expectTracerSeesTheBlock(page);
    const run = await traceMainThread(page, { start: "flexplat:opf-start", end: "flexplat:opf-end" }, async () => {
      await panel.getByTestId("opf-run").click();
      await expect(panel.getByTestId("opf-status")).toContainText("Optimal after 15 interior-point iterations", { timeout: 60_000 });
    });
    // MATPOWER 8.1 (MIPS): 576.8923361980263 $/h.
    await expect(panel.getByTestId("opf-kpi-objective")).toContainText("576.89");
    await expect(panel.getByTestId("opf-kpi-binding")).toContainText("3");
    note("opf-run", `${run.spanMs.toFixed(0)} ms end to end, tasks over 50 ms by the clock: ${JSON.stringify(run.tasks)}`);
    expect(
      run.tasks.filter((t) => t.cpuMs > 50),
      "no main-thread task of more than 50 ms CPU while the OPF runs",
    ).toEqual([]);

    const lmp = panel.getByTestId("opf-lmp-plot");
    await expect(lmp).toHaveAttribute("data-state", "drawn", { timeout: 30_000 });
    await expect(lmp.locator(".scatterlayer .trace")).toHaveCount(2);
    const length = await lmp
      .locator(".scatterlayer .trace .js-line")
      .first()
      .evaluate((p) => (p as SVGPathElement).getTotalLength());
    expect(length, "the λP line is drawn across the plot").toBeGreaterThan(300);

    const dispatch = panel.getByTestId("opf-dispatch");
    await expect(dispatch.locator("tbody tr")).toHaveCount(6);
    await expect(dispatch.locator("tbody tr").first()).toContainText("41.54");
    const binding = panel.getByTestId("opf-binding");
    await expect(binding).toContainText("branch 10 (from)");
    await expect(binding).toContainText("32.0000 MVA");
    await expect(binding).toContainText("Voltage max");
    // The network diagram shows the OPF: LMPs as the buses' fill, the binding limits haloed.
    await expect(page.getByTestId("diagram-show-opf")).toBeChecked();
    await expect(page.getByTestId("diagram-legend-values")).toContainText("LMP λP ($/MWh)");
    await expect(page.getByTestId("diagram-legend")).toContainText("binding limits (OPF)");
    await dso.waitForDiagram();
    await page.getByTestId("dso-network-diagram").screenshot({ path: join(ARTIFACTS, "diagram-opf-case30.png") });
    await page.screenshot({ path: join(ARTIFACTS, "dso-opf.png"), fullPage: true });
  });

  test("a grid without generator costs gets the reason, an overloaded feeder is infeasible, a long run can be cancelled", async ({ page }) => {
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    await dso.selectGrid("Rheintal (generated district)");
    const panel = page.getByTestId("opf-panel");
    await panel.getByTestId("opf-run").click();
    await expect(panel.getByTestId("opf-error")).toContainText("has no cost", { timeout: 60_000 });
    await expect(panel.getByTestId("opf-error")).toContainText("mpc.gencost");

    await dso.upload(caseFile("case10ba"));
    await expect(page.getByTestId("upload-ok")).toContainText("case10ba");
    await panel.getByTestId("opf-run").click();
    await expect(panel.getByTestId("opf-status")).toContainText("Infeasible", { timeout: 60_000 });
    await expect(panel.getByTestId("opf-status")).toContainText("fixed demand of 12.368 MW exceeds");
    await expect(panel.getByTestId("opf-lmp-plot")).toHaveCount(0);

    await dso.upload(caseFile("case1354pegase"));
    await expect(page.getByTestId("upload-ok")).toContainText("case1354pegase", { timeout: 60_000 });
    // A warm worker may finish case1354pegase (about 0.3 s) before the click lands: then run it
    // again and cancel sooner; a cancellation must show within three tries.
    let cancelled = false;
    for (let attempt = 0; attempt < 3 && !cancelled; attempt++) {
      await expect(panel.getByTestId("opf-run")).toBeEnabled({ timeout: 60_000 });
      await panel.getByTestId("opf-run").click();
      await panel
        .getByTestId("opf-cancel")
        .click({ timeout: 5_000 })
        .catch(() => {});
      await expect(panel.getByTestId("opf-run")).toBeEnabled({ timeout: 60_000 });
      cancelled = await panel.getByTestId("opf-cancelled").isVisible();
    }
    expect(cancelled, "a running OPF is cancelled by the button").toBe(true);
  });
});
