import { expect, type Locator, type Page } from "@playwright/test";

/** The DSO grid view, as the operator sees it. */
export class DsoPage {
  readonly gridList: Locator;
  readonly uploadError: Locator;
  readonly runButton: Locator;
  readonly cancelButton: Locator;
  readonly progress: Locator;
  readonly status: Locator;
  readonly vmin: Locator;
  readonly losses: Locator;
  readonly plot: Locator;
  readonly branchTable: Locator;
  readonly diagram: Locator;

  constructor(readonly page: Page) {
    this.gridList = page.getByTestId("grid-list");
    this.uploadError = page.getByTestId("upload-error");
    this.runButton = page.getByTestId("run-pf");
    this.cancelButton = page.getByTestId("cancel-pf");
    this.progress = page.getByTestId("pf-progress");
    this.status = page.getByTestId("pf-status");
    this.vmin = page.getByTestId("kpi-vmin");
    this.losses = page.getByTestId("kpi-losses");
    this.plot = page.getByTestId("voltage-plot");
    this.branchTable = page.getByTestId("branch-table");
    this.diagram = page.getByTestId("dso-network-diagram");
  }

  async goto(gridId?: string) {
    return this.page.goto(gridId ? `/dso?grid=${gridId}` : "/dso");
  }

  gridButton(name: string): Locator {
    return this.gridList.getByRole("button", { name });
  }

  async upload(file: string | { name: string; mimeType: string; buffer: Buffer }) {
    await this.page.getByTestId("grid-file").setInputFiles(file);
    await this.page.getByRole("button", { name: "Upload and validate" }).click();
  }

  async selectGrid(name: string) {
    await this.gridButton(name).click();
    await expect(this.gridButton(name)).toHaveAttribute("aria-current", "true");
  }

  /** Click Run and wait until this run's result is on the page. */
  async runPowerFlow() {
    const finished = () => this.page.evaluate(() => performance.getEntriesByName("flexplat:pf-end").length);
    const before = await finished();
    await this.runButton.click();
    await expect.poll(finished, { timeout: 60_000 }).toBeGreaterThan(before);
    await expect(this.runButton).toBeEnabled();
    await expect(this.status).toBeVisible();
  }

  /** The network diagram of a grid without coordinates, drawn and showing its current view. */
  async waitForDiagram(timeout = 120_000) {
    await expect(this.diagram).toHaveAttribute("data-diagram-state", "ready", { timeout });
    await expect.poll(() => this.diagram.evaluate((el) => (el as HTMLElement & { __networkDiagram: { settled(): boolean } }).__networkDiagram.settled()), { timeout }).toBe(true);
  }

  async waitForPlot() {
    await expect(this.plot).toHaveAttribute("data-state", "drawn", { timeout: 30_000 });
  }
}
