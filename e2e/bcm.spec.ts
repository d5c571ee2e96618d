import { readFile } from "node:fs/promises";
import { expect, request, test, type Browser, type Download, type Locator, type Page } from "@playwright/test";
import { readCsvRows } from "../lib/util/csv";
import { apiAs, signInWithForm } from "./support/accounts";
import { settleFrames } from "./support/pixels";

const BERGWALD = "Bergwald (generated district)";
const CSV_HEADER = "bidId,owner,direction,totalMW,priceEURperMWh,minActivationMW,indivisible,assetId,grid,location,assetMW,share";

/** The bid congestion manager page, as an aggregator uses it. */
class BcmPage {
  readonly portfolios: Locator;
  readonly uploadError: Locator;
  readonly uploadOk: Locator;
  readonly disaggregation: Locator;
  readonly result: Locator;
  readonly map: Locator;

  constructor(readonly page: Page) {
    this.portfolios = page.getByTestId("portfolio-list");
    this.uploadError = page.getByTestId("portfolio-upload-error");
    this.uploadOk = page.getByTestId("portfolio-upload-ok");
    this.disaggregation = page.getByTestId("disaggregation");
    this.result = page.getByTestId("bcm-result");
    this.map = page.getByTestId("bcm-grid-map");
  }

  async open() {
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bid congestion manager" }).click();
    await expect(this.page).toHaveURL(/\/bcm$/);
    await expect(this.page.getByRole("heading", { level: 1 })).toContainText("Bid congestion manager");
  }

  async upload(name: string, text: string) {
    await this.page.getByTestId("portfolio-file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
    await this.page.getByRole("button", { name: "Upload and validate" }).click();
  }

  async download(trigger: Locator): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), trigger.click()]);
    return { name: download.suggestedFilename(), text: await readDownload(download) };
  }
}

async function readDownload(d: Download): Promise<string> {
  return readFile(await d.path(), "utf8");
}

/** Rows of a CSV (papaparse, as the platform reads it), keyed by the header's column names. */
function csvRows(text: string): Record<string, string>[] {
  const all: string[][] = [];
  readCsvRows(text, (r) => all.push(r.cells));
  const [header, ...rows] = all;
  return rows.map((cells) => Object.fromEntries(cells.map((v, k) => [header[k], v])));
}

interface StoredBid {
  id: string;
  assets: { assetId: string; grid: string }[];
  direction: string;
}

/** agg-evfleet's demo portfolio as stored (grids by id), kept to put it back after the story. */
let demoPortfolio: { aggregatedBids: StoredBid[] } | null = null;

/** Remove what the story uploaded and put agg-evfleet's demo portfolio back (stored last now; its ids and units are free again). */
async function restoreDemoMarket(baseURL: string): Promise<void> {
  const api = await apiAs(baseURL, "agg-evfleet");
  const list = async () => ((await (await api.get("/api/portfolios")).json()) as { portfolios: { id: string; name: string }[] }).portfolios;
  for (const p of (await list()).filter((x) => x.name === "ev-pool")) expect((await api.delete(`/api/portfolios/${p.id}`)).status()).toBe(204);
  if (demoPortfolio && !(await list()).some((p) => p.name === "Demo portfolio")) {
    const res = await api.post("/api/portfolios", {
      multipart: { file: { name: "demo-portfolio.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(demoPortfolio)) }, name: "Demo portfolio" },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
}

// Later stories (the DSO's view below, the TSO's clearing) see the seeded market, even when the story fails midway.
test.afterAll(async ({ baseURL }) => restoreDemoMarket(baseURL!));

/** The results CSV: one row per asset, own bids only, each bid's assets add up to its activated total. */
async function expectOwnResultsCsv(page: Page, bcm: BcmPage, units: Record<string, string>[], total: number): Promise<void> {
  const results = await bcm.download(page.getByTestId("bcm-download-csv"));
  expect(results.name).toMatch(/^bcm-results-agg-evfleet-\d{14}\.csv$/);
  const rows = csvRows(results.text);
  expect(rows.length).toBe(units.length);
  const perBid = new Map<string, { total: number; sum: number }>();
  for (const r of rows) {
    expect(r.owner).toBe("agg-evfleet");
    const b = perBid.get(r.bidId) ?? { total: Number(r.activatedMW), sum: 0 };
    b.sum += Number(r.assetActivatedMW);
    perBid.set(r.bidId, b);
  }
  for (const [id, b] of perBid) expect(Math.abs(b.sum - b.total), id).toBeLessThan(1e-9);
  const mine = rows.filter((r) => r.bidId === "evfleet-e2e-pool");
  expect(mine.map((r) => r.assetId)).toEqual(units.map((u) => u.assetId));
  expect(Number(mine[0].activatedMW)).toBeCloseTo(total, 9);
}

/** A second aggregator: its own portfolio only, the run without anyone else's results. */
async function expectOtherAggregatorSeesNothing(browser: Browser, baseURL: string, runId: string): Promise<void> {
  const evApi = await apiAs(baseURL, "agg-evfleet");
  const evPortfolios = ((await (await evApi.get("/api/portfolios")).json()) as { portfolios: { id: string; name: string }[] }).portfolios;
  const uploadedId = evPortfolios.find((p) => p.name === "ev-pool")!.id;
  const other = await browser.newPage();
  await signInWithForm(other, "agg-storage");
  const storagePage = new BcmPage(other);
  await storagePage.open();
  await expect(storagePage.portfolios.getByTestId("portfolio-item")).toHaveCount(1);
  await expect(storagePage.portfolios).not.toContainText("ev-pool");
  await other.getByTestId("bcm-run-history").selectOption(runId);
  await expect(other.getByTestId("bcm-status")).toHaveText("optimal");
  await other.getByTestId("results-show-all").check();
  const theirBids = await storagePage.result.getByTestId("result-row").evaluateAll((rs) => rs.map((r) => r.getAttribute("data-bid-id")!));
  expect(theirBids.length).toBeGreaterThan(0);
  for (const id of theirBids) expect(id).toMatch(/agg-storage/);
  await expect(other.locator("body")).not.toContainText("evfleet");

  const api = other.request;
  for (const path of [`/api/portfolios/${uploadedId}`, `/api/portfolios/${uploadedId}/disaggregation`]) {
    const res = await api.get(path);
    expect(res.status(), path).toBe(404);
    expect(await res.json()).toEqual({ error: `you have no portfolio with id ${uploadedId}`, code: "not_found" });
  }
  expect((await api.delete(`/api/portfolios/${uploadedId}`)).status()).toBe(404);
  expect((await evApi.get(`/api/portfolios/${uploadedId}`)).status()).toBe(200);
  const theirCsv = await (await api.get(`/api/bcm/runs/${runId}/results.csv`)).text();
  expect(theirCsv.split("\n")[0]).toMatch(/^bidId,owner,/);
  expect(theirCsv).not.toContain("evfleet");
  await other.close();
}

test("an aggregator uploads a portfolio, runs the BCM and downloads its results; another aggregator sees none of it", async ({ page, browser, baseURL }) => {
  const t0 = Date.now();
  await signInWithForm(page, "agg-evfleet");
  const bcm = new BcmPage(page);
  await bcm.open();
  await expect(page.getByTestId("who-sees-what")).toContainText("only assets in its own grid(s), no prices");
  await expect(bcm.portfolios.getByTestId("portfolio-item")).toHaveCount(1);
  await expect(bcm.portfolios).toContainText("Demo portfolio");

  // Its EVs are all offered in the demo portfolio: offering one again in a cheaper pool is refused, naming the unit.
  const own = ((await (await page.request.get("/api/portfolios")).json()) as { portfolios: { id: string }[] }).portfolios;
  demoPortfolio = { aggregatedBids: ((await (await page.request.get(`/api/portfolios/${own[0].id}`)).json()) as { bids: StoredBid[] }).bids };
  const offered = demoPortfolio.aggregatedBids.find((b) => b.direction === "up")!.assets[0].assetId;
  await bcm.upload("again.csv", [CSV_HEADER, `evfleet-again,agg-evfleet,up,0.001,1,,,${offered},${BERGWALD},,0.001,`].join("\n"));
  await expect(bcm.uploadError).toContainText(
    new RegExp(
      `^Rejected\\. again\\.csv: unit ${offered} in Bergwald \\(generated district\\): 0\\.001000 MW upward in this file and 0\\.\\d{6} MW in your stored portfolios exceed what the unit offers`,
    ),
  );
  // A unit of another aggregator is refused without a word about it (neither its size nor where it connects).
  const dso = await apiAs(baseURL!, "dso-bergwald");
  const bergwaldId = ((await (await dso.get("/api/grids")).json()) as { grids: { id: string; name: string }[] }).grids.find((g) => g.name === BERGWALD)!.id;
  const network = (await (await dso.get(`/api/grids/${bergwaldId}/network`)).json()) as { fpus: { id: string; owner?: string }[] };
  const theirs = network.fpus.find((f) => f.owner === "agg-storage")!.id;
  await bcm.upload("theirs.csv", [CSV_HEADER, `evfleet-theirs,agg-evfleet,up,500,1,,,${theirs},${BERGWALD},,500,`].join("\n"));
  await expect(bcm.uploadError).toHaveText(`Rejected. theirs.csv: aggregated bid evfleet-theirs, asset ${theirs}: not one of your units in ${BERGWALD}`);

  // To re-pool its EVs, the aggregator deletes the demo portfolio first (first stored, first served).
  await bcm.portfolios.getByRole("button", { name: "Delete Demo portfolio" }).click();
  await bcm.portfolios.getByRole("button", { name: "Confirm delete" }).click();
  await expect(bcm.portfolios.getByTestId("portfolio-item")).toHaveCount(0);

  // The example portfolio: a valid CSV over what is free of this aggregator's own units (EVs of Bergwald).
  const template = await bcm.download(page.getByTestId("portfolio-template"));
  expect(template.name).toBe("portfolio-example-agg-evfleet.csv");
  const units = csvRows(template.text).filter((r) => r.direction === "up");
  expect(units.length).toBeGreaterThan(1);
  for (const u of units) {
    expect(u.owner).toBe("agg-evfleet");
    expect(u.grid).toBe(BERGWALD);
    expect(u.assetId).toMatch(/^ev-/);
  }

  // A file whose shares do not add up is refused with the line named, and nothing is stored.
  const total = units.reduce((s, u) => s + Number(u.assetMW), 0);
  const row = (u: Record<string, string>, share: number) => `evfleet-e2e-pool,agg-evfleet,up,${total},1,,,${u.assetId},${BERGWALD},,,${share}`;
  const shares = units.map((u) => Number(u.assetMW) / total);
  const bad = [CSV_HEADER, ...units.slice(0, -1).map((u, k) => row(u, shares[k]))].join("\n");
  await bcm.upload("bad-shares.csv", bad);
  await expect(bcm.uploadError).toContainText(/bad-shares\.csv line 2 \(evfleet-e2e-pool\): asset shares add up to 0\.\d{6}, not 1/);
  await expect(bcm.portfolios.getByTestId("portfolio-item")).toHaveCount(0);

  // A valid pool of the same EVs at 1 €/MWh (cheaper than any demo bid, so 1.8 MW activates it).
  const good = `${[CSV_HEADER, ...units.map((u, k) => row(u, shares[k]))].join("\n")}\n`;
  await bcm.upload("ev-pool.csv", good);
  await expect(bcm.uploadOk).toContainText("ev-pool: 1 aggregated bid accepted");
  await expect(bcm.portfolios.getByTestId("portfolio-item")).toHaveCount(1);
  await expect(bcm.portfolios.getByTestId("portfolio-item").filter({ hasText: "ev-pool" })).toHaveAttribute("aria-current", "true");

  // Its split per asset: connection bus and the opaque location the TSO sees.
  const bidRow = bcm.disaggregation.locator('[data-bid-id="evfleet-e2e-pool"]');
  await expect(bidRow).toBeVisible();
  await bidRow.getByRole("button", { name: "evfleet-e2e-pool" }).click();
  const assets = bcm.disaggregation.getByTestId("asset-bids").locator("tbody tr");
  await expect(assets).toHaveCount(units.length);
  for (let k = 0; k < units.length; k++) {
    const cells = assets.nth(k).locator("td");
    await expect(cells.nth(0)).toHaveText(units[k].assetId);
    await expect(cells.nth(2)).toHaveText(/^bus:\d+$/);
    await expect(cells.nth(3)).not.toHaveText(/bus/);
  }

  // Demo mode: the grid is drawn with this portfolio's connection points.
  await expect(page.getByTestId("bcm-demo-banner")).toContainText(`Demo mode ${BERGWALD}`);
  await expect(bcm.map).toHaveAttribute("data-map-state", "ready", { timeout: 30_000 });
  expect(Number(await page.getByTestId("bcm-map-markers").getAttribute("data-count"))).toBeGreaterThan(0);

  // Run the BCM for the default 1.8 MW.
  await expect(page.getByTestId("bcm-request")).toHaveValue("1.8");
  const runStart = Date.now();
  await page.getByTestId("bcm-run-button").click();
  await expect(page.getByTestId("bcm-status")).toHaveText("optimal", { timeout: 30_000 });
  const runMs = Date.now() - runStart;
  await expect(page.getByTestId("bcm-message")).toHaveText("optimal: 1.800000 MW activated over all bids on the platform");
  const resultRows = bcm.result.getByTestId("result-row");
  await expect(resultRows.first()).toBeVisible();
  const shownBids = await resultRows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-bid-id")!));
  expect(shownBids).toContain("evfleet-e2e-pool");
  for (const id of shownBids) expect(id).toMatch(/evfleet/);
  const pool = bcm.result.locator('[data-bid-id="evfleet-e2e-pool"]');
  await expect(pool).toContainText("full");
  await pool.getByRole("button", { name: "evfleet-e2e-pool" }).click();
  await expect(bcm.result.getByTestId("result-assets").locator("tbody tr")).toHaveCount(units.length);
  const runId = (await bcm.result.getAttribute("data-run-id"))!;
  await expect(bcm.map).toHaveAttribute("data-map-state", "ready");
  await settleFrames(page); // deck.gl draws the activation colours before the screenshot
  await page.screenshot({ path: "e2e-artifacts/bcm.png", fullPage: true });

  await expectOwnResultsCsv(page, bcm, units, total);
  await expectOtherAggregatorSeesNothing(browser, baseURL!, runId);

  // The TSO has its own view; here the API refuses it, and anonymous callers must sign in.
  const tso = await apiAs(baseURL!, "tso");
  expect((await tso.post("/api/bcm/run", { data: { requestMw: 1.8 } })).status()).toBe(403);
  expect((await tso.get(`/api/bcm/runs/${runId}/results.csv`)).status()).toBe(403);
  const anonymous = await request.newContext({ baseURL });
  expect((await anonymous.get("/api/portfolios")).status()).toBe(401);
  console.log(`BCM story: run in the browser ${runMs} ms (request to result on the page), whole story ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await restoreDemoMarket(baseURL!);
});

test("a DSO sees the bids located in its own grid, without prices", async ({ page }) => {
  await signInWithForm(page, "dso-rheintal");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bid congestion manager" }).click();
  const grids = page.getByTestId("dso-grid-bids");
  await expect(grids).toHaveCount(1);
  await expect(grids.getByRole("heading")).toHaveText("Rheintal (generated district)");
  await expect(page.getByTestId("dso-grid-bids-summary")).toContainText("from 4 aggregators");
  await expect(page.getByTestId("dso-bid-row")).toHaveCount(50);
  await expect(page.locator("body")).not.toContainText("Bergwald");
  await expect(page.locator("body")).not.toContainText("€");
});
