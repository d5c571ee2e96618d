import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { signInWithForm } from "./support/accounts";
import { expectTracerSeesTheBlock, traceMainThread } from "./support/long-tasks";
import { note } from "./support/notes";

const ARTIFACTS = join(process.cwd(), "e2e-artifacts");

// The main thread is measured with Chromium's own trace (CPU per task), as in region.spec.ts;
// Playwright's trace, which snapshots the DOM on that thread, stays off.
test.use({ trace: "off" });

test.describe("TSO: the 29-feeder coordination study in the solver workers", () => {
  test("LinDistFlow, loss-compensated and exact regions against the centralized AC-OPF: Fig. 3, the totals and the CSV", async ({ page }) => {
    test.setTimeout(240_000);
    await signInWithForm(page, "tso");
    await page.getByRole("link", { name: "Coordination study" }).click();
    await expect(page).toHaveURL(/\/tso\/study/);
    const panel = page.getByTestId("study-panel");
    for (const m of ["lds", "slc", "exact"]) await expect(panel.getByTestId(`study-method-${m}`)).toBeChecked();
    await expect(panel.getByTestId("study-method-pqv")).not.toBeChecked();
    await expectTracerSeesTheBlock(page);

    const run = await traceMainThread(page, { start: "flexplat:study-start", end: "flexplat:study-end" }, async () => {
      await panel.getByTestId("study-run").click();
      await expect(panel.getByTestId("study-progress")).toBeVisible();
      await expect(panel.getByTestId("study-summary")).toContainText("29 distribution systems", { timeout: 180_000 });
    });
    const summary = await panel.getByTestId("study-summary").innerText();
    note("study", `${run.spanMs.toFixed(0)} ms; tasks over 50 ms by the clock: ${JSON.stringify(run.tasks)}; ${summary}`);
    expect(
      run.tasks.filter((t) => t.cpuMs > 50),
      "no main-thread task of more than 50 ms CPU while the workers compute",
    ).toEqual([]);
    expect(summary).toContain("4 case118zh");
    expect(summary).toContain("16 case33mg");
    expect(summary).toContain("9 case10ba");
    expect(summary).toMatch(/Centralized AC-OPF of the integrated system: optimal, f\* = 681\.\d{4} \$\/h over 1120 buses/);

    const rows = panel.getByTestId("study-methods").locator("tbody tr");
    await expect(rows).toHaveCount(3);
    const deviation = async (m: string) => Number((await rows.locator(`xpath=self::*[@data-method="${m}"]`).locator("td").nth(2).innerText()).replace(/[ %+]/g, ""));
    const [lds, slc, exact] = [await deviation("lds"), await deviation("slc"), await deviation("exact")];
    note("study-deviation", `LDS ${lds} %, SLC ${slc} %, exact ${exact} %`);
    expect(Math.abs(slc), "loss compensation lands closer to f* than LinDistFlow").toBeLessThan(Math.abs(lds));
    expect(Math.abs(exact), "the exact regions stay within 0.1 % of f*").toBeLessThan(0.1);
    await expect(rows.locator("xpath=self::*[@data-method='exact']")).toHaveAttribute("data-violations", "0");
    expect(Number(await rows.locator("xpath=self::*[@data-method='lds']").getAttribute("data-violations"))).toBeGreaterThan(0);

    for (const id of ["study-deviation-plot", "study-violation-plot"]) {
      const plot = panel.getByTestId(id);
      await expect(plot).toHaveAttribute("data-state", "drawn", { timeout: 30_000 });
      expect(await plot.locator(".barlayer .point").count(), `${id} draws bars`).toBeGreaterThan(29);
    }
    const [csv] = await Promise.all([page.waitForEvent("download"), panel.getByTestId("study-download-csv").click()]);
    const text = readFileSync((await csv.path())!, "utf8")
      .trim()
      .split("\n");
    expect(text[0]).toMatch(/^method,ts_bus,case,/);
    expect(text).toHaveLength(1 + 3 * 29 + 3);
    await page.screenshot({ path: join(ARTIFACTS, "tso-study.png"), fullPage: true });
  });

  test("a DSO cannot open the study or its cases", async ({ page }) => {
    await signInWithForm(page, "dso-bergwald");
    await expect(page.getByRole("link", { name: "Coordination study" })).toHaveCount(0);
    const res = await page.request.get("/api/tso/study/cases");
    expect(res.status()).toBe(403);
    await page.goto("/tso/study");
    await expect(page.getByText(/403|not allowed|TSO/i).first()).toBeVisible();
  });
});
