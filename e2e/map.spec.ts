import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Locator } from "@playwright/test";
import { DEFAULT_DISTRICT_SEED, districtToGeoJson, generateDistrict, withAllUpwardFlexibility } from "../lib/district";
import { solvePowerFlow } from "../lib/powerflow";
import { lineWidthPx } from "../components/map/colors";
import { signInWithForm } from "./support/accounts";
import { pixelStats, settleFrames } from "./support/pixels";

const ARTIFACTS = join(process.cwd(), "e2e-artifacts");

/** The point at fraction t of a polyline's length (planar interpolation is fine over a few hundred metres). */
function along(path: [number, number][], t: number): [number, number] {
  const seg = path.slice(1).map((p, i) => Math.hypot(p[0] - path[i][0], (p[1] - path[i][1]) * 1.5));
  let rest = seg.reduce((a, b) => a + b, 0) * t;
  for (let i = 0; i < seg.length; i++) {
    if (rest <= seg[i]) {
      const t = seg[i] > 0 ? rest / seg[i] : 0;
      return [path[i][0] + t * (path[i + 1][0] - path[i][0]), path[i][1] + t * (path[i + 1][1] - path[i][1])];
    }
    rest -= seg[i];
  }
  return path[path.length - 1];
}

type Hooked = HTMLElement & { __gridMap: { project(p: [number, number]): [number, number]; renderedFeatures(layers: string[]): number } };

async function project(map: Locator, lonLat: [number, number]): Promise<[number, number]> {
  return map.evaluate((el, p) => (el as Hooked).__gridMap.project(p), lonLat);
}

async function renderedFeatures(map: Locator, layers: string[]): Promise<number> {
  return map.evaluate((el, l) => (el as Hooked).__gridMap.renderedFeatures(l), layers);
}

test.describe("DSO: the district on the map, base case and all offered flexibility", () => {
  test("Bergwald map draws streets, buildings and coloured lines; all flexibility shows congestion in red", async ({ page }) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The seeded grid is the default district; its worst congestion, computed here in Node as the CLI does.
    const net = generateDistrict({ seed: DEFAULT_DISTRICT_SEED }).network;
    const flex = solvePowerFlow(withAllUpwardFlexibility(net));
    const congestedCount = [...flex.loadingPct].filter((v) => Math.abs(v) > 100).length;
    expect(congestedCount).toBeGreaterThan(0);
    // The longest congested cable: easy to hit with the mouse away from bus and substation markers.
    let worst = -1;
    net.branches.forEach((br, l) => {
      if (br.kind === "line" && Math.abs(flex.loadingPct[l]) > 100 && (worst < 0 || br.lengthKm! > net.branches[worst].lengthKm!)) worst = l;
    });
    const worstLine = net.branches[worst];

    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(e.message));
    await signInWithForm(page, "dso-bergwald");
    await expect(page).toHaveURL(/\/dso/);
    const panel = page.getByTestId("district-map-panel");
    await expect(panel).toBeVisible();
    const map = page.getByTestId("dso-grid-map");
    await expect(map).toHaveAttribute("data-map-state", "ready", { timeout: 45_000 });
    const summary = page.getByTestId("map-flow-summary");
    await expect(summary).toContainText("Base case: converged");
    await expect(page.getByTestId("map-congested-count")).toHaveText("0");
    await expect(page.getByTestId("map-legend")).toContainText("> 100 % congested");
    // Let both canvases settle after the colours arrived.
    await settleFrames(page, 5);

    const baseShot = await map.screenshot({ path: join(ARTIFACTS, "dso-map-base.png") });
    const base = await pixelStats(page, baseShot);
    test.info().annotations.push({ type: "base-map-pixels", description: JSON.stringify(base) });
    expect(base.lumaStd, "the map is not blank").toBeGreaterThan(12);
    // The offline basemap comes from MapLibre GeoJSON sources, which need MapLibre's worker (public/maplibre/).
    expect(await renderedFeatures(map, ["street"]), "MapLibre rendered the district's streets").toBeGreaterThan(20);
    expect(await renderedFeatures(map, ["building-fill"]), "MapLibre rendered the building footprints").toBeGreaterThan(150);
    expect(base.streets, "white street fill is visible").toBeGreaterThan(2000);
    expect(base.buildings, "building footprints are visible in their fill colours").toBeGreaterThan(3000);
    expect(base.green, "grid lines are drawn in their loading colours").toBeGreaterThan(3000);
    expect(base.red, "nothing is congested in the base case").toBeLessThan(150);

    // Hover the line: the tooltip names it; later a click shows its details.
    // Cables of several feeders share a trench, and junction buses sit on top: find a spot along the route where this one is on top.
    const tooltip = page.getByTestId("map-tooltip");
    let spot: { x: number; y: number } | null = null;
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
      const [x, y] = await project(map, along(worstLine.geometry!, t));
      await map.hover({ position: { x, y } });
      if (
        await tooltip
          .filter({ hasText: worstLine.id })
          .isVisible({ timeout: 1000 })
          .catch(() => false)
      ) {
        spot = { x, y };
        break;
      }
    }
    expect(spot, `hovering ${worstLine.id} shows its tooltip`).not.toBeNull();
    const { x, y } = spot!;
    await expect(tooltip).toContainText(worstLine.id);
    await expect(tooltip).toContainText("loading");

    // All offered upward flexibility at once: congestion, as in deliverable 5.2, Fig. 5.
    await page.getByTestId("map-all-flex-toggle").check();
    await expect(summary).toContainText("All upward flexibility: converged");
    await expect(page.getByTestId("map-congested-count")).toHaveText(String(congestedCount));
    await expect(map).toHaveAttribute("data-congested-lines", /^[1-9]\d*$/);
    await settleFrames(page, 5);
    const flexShot = await map.screenshot({ path: join(ARTIFACTS, "dso-map-all-flex.png") });
    const all = await pixelStats(page, flexShot);
    test.info().annotations.push({ type: "all-flex-map-pixels", description: JSON.stringify(all) });
    // What the congested cables should cover: their drawn length on screen times the 7 px
    // congestion width. Only the saturated core counts as red (anti-aliased edges do not), the
    // substation markers sit on the cables' first metres and bus markers on their joints: a
    // quarter of that area must show as clearly red (measured: 415 px of 162 px x 7 px, 37 %).
    let congestedPx = 0;
    for (let l = 0; l < net.branches.length; l++) {
      const br = net.branches[l];
      if (Math.abs(flex.loadingPct[l]) <= 100 || !br.geometry) continue;
      const pts = await Promise.all(br.geometry.map((p) => project(map, p)));
      for (let k = 1; k < pts.length; k++) congestedPx += Math.hypot(pts[k][0] - pts[k - 1][0], pts[k][1] - pts[k - 1][1]);
    }
    const expectedRed = (congestedPx * lineWidthPx("lv", 101)) / 4;
    test.info().annotations.push({ type: "congested-px", description: `${congestedPx.toFixed(0)} px of congested cable, expect > ${expectedRed.toFixed(0)} red pixels` });
    expect(all.red, "congested lines are drawn thick and red").toBeGreaterThan(expectedRed);
    expect(all.red).toBeGreaterThan(10 * Math.max(1, base.red));

    await map.click({ position: { x, y } });
    const details = page.getByTestId("map-details");
    await expect(details).toHaveAttribute("data-element", `branch:${worstLine.id}`);
    await expect(details).toContainText(`${Math.abs(flex.loadingPct[worst]).toFixed(1)} % — congested`);
    await page.screenshot({ path: join(ARTIFACTS, "dso-map-view.png"), fullPage: true });
    expect(failures, "no uncaught errors in the page").toEqual([]);
  });

  test("a DSO uploads buildings and streets as GeoJSON and gets a generated grid on the map; a bad file is rejected by feature", async ({ page }) => {
    const sample = districtToGeoJson(generateDistrict({ seed: 12, buildings: 80 }));
    const file = (name: string, value: unknown) => ({ name, mimeType: "application/geo+json", buffer: Buffer.from(JSON.stringify(value)) });
    await signInWithForm(page, "dso-bergwald");
    await expect(page).toHaveURL(/\/dso/);

    // A broken file first: the message names the feature and field, nothing is added.
    const broken = { ...sample.buildings, features: [...sample.buildings.features.slice(0, 3), { type: "Feature", geometry: { type: "Point", coordinates: [8.48, 123] }, properties: {} }] };
    await page.getByTestId("buildings-file").setInputFiles(file("broken.geojson", broken));
    await page.getByRole("button", { name: "Generate grid" }).click();
    await expect(page.getByTestId("buildings-upload-error")).toContainText("broken.geojson: features[3].geometry.coordinates: latitude 123 is outside [-90, 90]");

    await page.getByTestId("buildings-file").setInputFiles(file("quarter.geojson", sample.buildings));
    await page.getByTestId("streets-file").setInputFiles(file("quarter-streets.geojson", sample.streets));
    await page.getByLabel("Name (optional)").last().fill("Uploaded quarter");
    await page.getByRole("button", { name: "Generate grid" }).click();
    await expect(page.getByTestId("buildings-upload-ok")).toContainText("Uploaded quarter: 80 buildings");
    await expect(page.getByTestId("grid-list").getByRole("button", { name: "Uploaded quarter" })).toHaveAttribute("aria-current", "true");
    const map = page.getByTestId("dso-grid-map");
    await expect(map).toHaveAttribute("data-map-state", "ready", { timeout: 45_000 });
    await expect(page.getByTestId("map-flow-summary")).toContainText("Base case: converged");
    expect(await renderedFeatures(map, ["building-fill"])).toBeGreaterThan(40);
    await settleFrames(page);
    const stats = await pixelStats(page, await map.screenshot({ path: join(ARTIFACTS, "dso-map-uploaded.png") }));
    expect(stats.lumaStd).toBeGreaterThan(12);
    expect(stats.green).toBeGreaterThan(1000);
  });
});
