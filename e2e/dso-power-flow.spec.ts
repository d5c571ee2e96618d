import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { apiAs, signInWithForm, uploadGridApi } from "./support/accounts";
import { DsoPage } from "./support/dso-page";
import { expectTracerSeesTheBlock, traceMainThread } from "./support/long-tasks";
import { syntheticFeederJson } from "./synthetic-feeder";

const SHARED = process.env.FLEX_SHARED_DIR ?? join(process.cwd(), "..", "shared");
const CASE33 = join(SHARED, "cases", "matpower", "case33bw.m");
const ARTIFACTS = join(process.cwd(), "e2e-artifacts");

// The main thread is measured with Chromium's own trace (traceMainThread): on this 2-core
// machine a busy worker preempts the page and tasks of a few ms of CPU last 50-300 ms by the
// clock (CI saw 68-86 ms "long tasks" of the Long Tasks API here), so the check is on CPU time.
// Playwright's trace, which snapshots the DOM on that thread, stays off.
test.use({ trace: "off" });

/** A measurement worth reading in the test output (and kept as an annotation in the JSON report). */
function note(type: string, description: string) {
  test.info().annotations.push({ type, description });
  console.log(`[${type}] ${description}`);
}

test.describe("DSO: upload a grid and run the AC power flow in the worker", () => {
  test("case33bw: Vmin 0.91309 p.u. at bus 18, losses 202.68 kW, no long task during the run", async ({ page }) => {
    const workers: string[] = [];
    page.on("worker", (w) => workers.push(w.url()));
    await signInWithForm(page, "dso-bergwald");
    await expect(page).toHaveURL(/\/dso/);
    const dso = new DsoPage(page);
    await expect(dso.gridButton("Bergwald (generated district)")).toBeVisible();

    await dso.upload(CASE33);
    await expect(page.getByTestId("upload-ok")).toContainText("case33bw: 33 buses, 37 branches imported");
    await expect(dso.gridButton("case33bw")).toHaveAttribute("aria-current", "true");
    // The grid has no coordinates: the page draws its network diagram first (e2e/network-diagram.spec.ts).
    await dso.waitForDiagram();

    // Let the page settle first: case33bw has no coordinates, so its network diagram is laid
    // out and drawn on opening (its frames took 53 ms CPU once when they overlapped the run).
    await dso.waitForDiagram();
    // The tracer must see a task we block on purpose, or its silence below means nothing.
    await expectTracerSeesTheBlock(page);
    const run = await traceMainThread(page, { start: "flexplat:pf-start", end: "flexplat:pf-end" }, () => dso.runPowerFlow());
    await expect(dso.status).toContainText("Converged in 3 Newton iterations");
    await expect(dso.vmin).toContainText("0.91309");
    await expect(dso.vmin).toContainText("at bus 18");
    await expect(dso.losses).toContainText(/202\.68\s*kW/);
    await expect(dso.losses).toContainText("135.14 kVAr");
    expect(
      workers.some((u) => u.includes("worker")),
      `a solver worker was started (${workers.join(", ")})`,
    ).toBe(true);

    note("pf-run", `${run.spanMs.toFixed(0)} ms, tasks over 50 ms by the clock: ${JSON.stringify(run.tasks)}`);
    expect(
      run.tasks.filter((t) => t.cpuMs > 50),
      "no main-thread task of more than 50 ms CPU while the power flow runs",
    ).toEqual([]);

    // The voltage profile really draws: three line traces and the minimum marker.
    await dso.waitForPlot();
    await expect(dso.plot.locator(".scatterlayer .trace")).toHaveCount(4);
    await expect(dso.plot.locator(".legendtext").filter({ hasText: "min 0.91309 p.u. @ bus 18" })).toHaveCount(1);
    const pathLength = await dso.plot
      .locator(".scatterlayer .trace .js-line")
      .first()
      .evaluate((p) => (p as SVGPathElement).getTotalLength());
    expect(pathLength).toBeGreaterThan(300);

    const drawnAfter = await page.evaluate(() => performance.getEntriesByName("flexplat:plot-drawn").at(-1)!.startTime - performance.getEntriesByName("flexplat:pf-end").at(-1)!.startTime);
    note("render", `results drawn ${drawnAfter.toFixed(0)} ms after the run`);

    // Branch table: sort by losses, descending then ascending.
    const lossHeader = dso.branchTable.getByRole("button", { name: "Losses (kW)" });
    await lossHeader.click();
    await expect(dso.branchTable.locator("tbody tr").first()).toHaveAttribute("data-branch", "2");
    await expect(dso.branchTable.locator("tbody tr").first()).toContainText("51.791");
    await expect(page.getByTestId("run-history")).toContainText("0.91309");
    await page.screenshot({ path: join(ARTIFACTS, "dso-view.png"), fullPage: true });
    await lossHeader.click();
    await expect(dso.branchTable.locator("th[aria-sort=ascending]")).toContainText("Losses (kW)");
    await expect(dso.branchTable.locator("tbody tr").first()).toHaveAttribute("data-branch", "33");
  });

  test("a broken file is rejected with the importer's message and nothing is stored", async ({ page, baseURL }) => {
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    const api = await apiAs(baseURL!, "dso-rheintal");
    const before = ((await (await api.get("/api/grids")).json()) as { grids: unknown[] }).grids.length;
    await expect(dso.gridList.getByRole("button")).toHaveCount(before);

    const text = readFileSync(CASE33, "utf8");
    const line = text.split("\n").findIndex((l) => l.includes("0.4930\t0.2511")) + 1;
    await dso.upload({ name: "case33bw-broken.m", mimeType: "text/plain", buffer: Buffer.from(text.replace("0.4930\t0.2511", "0.4930\t0.25.11")) });
    await expect(dso.uploadError).toContainText(`case33bw-broken.m: line ${line}: '0.25.11' is not a number`);

    await dso.upload({ name: "feeder.json", mimeType: "application/json", buffer: Buffer.from('{"format":"flexplat-network","version":1,"name":"x","baseMVA":10,"buses":[]}') });
    await expect(dso.uploadError).toContainText("feeder.json: buses: a network needs at least one bus");

    await expect(dso.gridList.getByRole("button")).toHaveCount(before);
    expect(((await (await api.get("/api/grids")).json()) as { grids: unknown[] }).grids).toHaveLength(before);
    await page.reload();
    await expect(dso.gridList.getByRole("button")).toHaveCount(before);
  });

  test("a file over 20 MB is refused with a clear message before it is sent", async ({ page }) => {
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    const posts: string[] = [];
    page.on("request", (r) => r.method() === "POST" && r.url().includes("/api/grids") && posts.push(r.url()));
    await dso.upload({ name: "huge.m", mimeType: "text/plain", buffer: Buffer.alloc(21 * 1024 * 1024, "%") });
    await expect(dso.uploadError).toContainText("huge.m: the file is too large (21.0 MB); the limit is 20 MB");
    expect(posts).toEqual([]);
  });

  test("a large grid: progress, Cancel stops the worker, a re-run converges without main-thread long tasks", async ({ page, baseURL }) => {
    const api = await apiAs(baseURL!, "dso-rheintal");
    const grid = await uploadGridApi(api, "tree-60000.json", syntheticFeederJson(60000));
    const workers: string[] = [];
    page.on("worker", (w) => workers.push(w.url()));
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    await dso.goto(grid.id);
    await expect(dso.gridButton(grid.name)).toHaveAttribute("aria-current", "true");

    await dso.runButton.click();
    await expect(dso.progress).toBeVisible();
    await expect(dso.cancelButton).toBeEnabled();
    await dso.cancelButton.click();
    await expect(page.getByTestId("pf-cancelled")).toContainText("Cancelled");
    await expect(dso.progress).toHaveCount(0);
    expect(workers).toHaveLength(1);

    await expectTracerSeesTheBlock(page);
    const run = await traceMainThread(page, { start: "flexplat:pf-start", end: "flexplat:pf-end" }, () => dso.runPowerFlow());
    expect(workers, "Cancel terminated the worker; the re-run started a new one").toHaveLength(2);
    await expect(dso.status).toContainText("Converged");
    await expect(page.getByText("60000 buses", { exact: false }).first()).toBeVisible();
    note("pf-run-60000", `${run.spanMs.toFixed(0)} ms, tasks over 50 ms by the clock: ${JSON.stringify(run.tasks)}`);
    // Allowed: the task that sends the job (the 60000-bus project JSON is copied to the
    // worker: 71-100 ms CPU measured) and the one that receives the result; none between.
    const heavy = run.tasks.filter((t) => t.cpuMs > 50);
    expect(
      heavy.filter((t) => !t.holdsStart && !t.holdsEnd),
      "no main-thread task of more than 50 ms CPU while the 60000-bus power flow runs, but sending and receiving",
    ).toEqual([]);
    await dso.waitForPlot();
    await expect(page.getByText("page 1 of 3000")).toBeVisible();
    await expect(page.getByText(/60000 buses · \d+ points drawn \(min-max per bucket\)/)).toBeVisible();
  });

  test("the seeded district: loadings from the branch ratings, sorted highest first", async ({ page }) => {
    await signInWithForm(page, "dso-bergwald");
    const dso = new DsoPage(page);
    await dso.selectGrid("Bergwald (generated district)");
    await dso.runPowerFlow();
    await expect(dso.status).toContainText("Converged");
    await expect(page.getByTestId("kpi-loading")).toContainText("%");
    const cells = await dso.branchTable.locator("tbody tr td:nth-child(5)").allTextContents();
    const values = cells.map((c) => Math.abs(parseFloat(c.replace(/[^\d.-]/g, ""))));
    expect(values.length).toBe(20);
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    await dso.waitForPlot();
    await page.screenshot({ path: join(ARTIFACTS, "dso-district.png"), fullPage: true });
  });

  test("the bundled solver worker loads HiGHS from /highs.wasm and solves an LP in Chromium", async ({ page }) => {
    const workers: string[] = [];
    page.on("worker", (w) => workers.push(w.url()));
    await signInWithForm(page, "dso-bergwald");
    const dso = new DsoPage(page);
    await dso.selectGrid("Bergwald (generated district)");
    await dso.runPowerFlow();
    const workerUrl = workers.find((u) => u.includes("worker"));
    expect(workerUrl, "the power flow ran in the bundled solver worker").toBeTruthy();
    // A second instance of the same bundled worker, driven by the protocol's lp-solve message.
    // (Turbopack bundles `new Worker(new URL(...), { type: "module" })` behind a classic
    // bootstrap script that uses importScripts, so this instance is created without a type.)
    const result = await page.evaluate(async (url) => {
      const w = new Worker(url);
      const messages: { kind: string; progress?: { stage: string }; result?: unknown; error?: unknown }[] = [];
      const done = new Promise<void>((resolve, reject) => {
        w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
        w.onmessage = (e) => {
          messages.push(e.data);
          if (e.data.kind !== "progress") resolve();
        };
      });
      w.postMessage({ kind: "request", id: 1, type: "lp-solve", request: { lp: "Maximize\n obj: 3 x + 2 y\nSubject To\n c1: x + y <= 4\n c2: x + 3 y <= 6\nBounds\n 0 <= x <= 3\nEnd" } });
      await done;
      w.terminate();
      return messages;
    }, workerUrl!);
    expect(result.map((m) => m.progress?.stage ?? m.kind)).toEqual(["load", "solve", "result"]);
    expect(result.at(-1)!.result).toMatchObject({ status: "Optimal", objective: 11, columns: { x: 3, y: 1 } });
  });
});
