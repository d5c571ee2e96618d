import { mkdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { expect, test, type Locator } from "@playwright/test";
import { writeNetworkJson } from "../lib/grid";
import { syntheticGrid } from "../lib/layout/synthetic";
import { VMIN_MARKER } from "../components/diagram/dso-overlays";
import { apiAs, signInWithForm, uploadGridApi } from "./support/accounts";
import { DsoPage } from "./support/dso-page";
import { blockMainThread, recordLongTasks } from "./support/long-tasks";
import { note } from "./support/notes";
import { countPixels, pixelStats, settleFrames } from "./support/pixels";

const SHARED = process.env.FLEX_SHARED_DIR ?? join(process.cwd(), "..", "shared");
const CASES = join(SHARED, "cases", "matpower");
const ARTIFACTS = join(process.cwd(), "e2e-artifacts");

type Hooked = HTMLElement & { __networkDiagram: { project(busId: number): [number, number] | null; zoom(): number; mode(): string; settled(): boolean } };

async function project(diagram: Locator, busId: number): Promise<[number, number]> {
  const p = await diagram.evaluate((el, id) => (el as Hooked).__networkDiagram.project(id), busId);
  if (!p) throw new Error(`bus ${busId} is not on the diagram`);
  return p;
}

/** The V min ring's raspberry (dso-overlays.ts), with some tolerance for smoothing. */
const RASPBERRY = { r: [VMIN_MARKER[0] - 40, 255], g: [0, 70], b: [VMIN_MARKER[2] - 50, VMIN_MARKER[2] + 60] } as { r: [number, number]; g: [number, number]; b: [number, number] };

test.describe("DSO: the network diagram of a grid without coordinates", () => {
  test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

  test("case118zh: uploaded, drawn as a tidy tree, the power flow coloured on it and the lowest-voltage bus ringed", async ({ page }) => {
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(e.message));
    await signInWithForm(page, "dso-bergwald");
    const dso = new DsoPage(page);
    await dso.upload(join(CASES, "case118zh.m"));
    await expect(page.getByTestId("upload-ok")).toContainText("case118zh: 118 buses, 132 branches imported");
    await expect(page.getByTestId("map-no-coordinates")).toHaveCount(0);
    await dso.waitForDiagram();
    await expect(page.getByTestId("diagram-facts")).toContainText("radial: tidy tree from the slack bus · 118 buses · 132 branches · 0 crossings");
    await expect(page.getByTestId("diagram-computed")).toContainText("stored with the grid");
    note("layout-case118zh", (await page.getByTestId("diagram-computed").textContent()) ?? "");

    await dso.runPowerFlow();
    await expect(dso.status).toContainText("Converged");
    const vminText = (await dso.vmin.textContent()) ?? "";
    const vminBus = Number(/at bus (\d+)/.exec(vminText)?.[1]);
    expect(vminBus, `the lowest-voltage bus is named (${vminText})`).toBeGreaterThan(0);
    await expect(page.getByTestId("diagram-vmin")).toHaveAttribute("data-bus", String(vminBus));
    await expect(page.getByTestId("map-flow-summary")).toContainText("Base case: converged");
    await dso.waitForDiagram();
    await settleFrames(page);

    const shot = await dso.diagram.screenshot({ path: join(ARTIFACTS, "diagram-case118zh.png") });
    const [x, y] = await project(dso.diagram, vminBus);
    const ring = await countPixels(page, shot, RASPBERRY, { x: x - 22, y: y - 22, width: 44, height: 44 });
    const elsewhere = await countPixels(page, shot, RASPBERRY, { x: 0, y: 0, width: 2000, height: 2000 });
    note("vmin-ring", `bus ${vminBus} at (${x.toFixed(0)}, ${y.toFixed(0)}): ${ring} ring pixels around it, ${elsewhere} in the whole diagram (its label included)`);
    expect(ring, "the lowest-voltage bus is ringed on the diagram").toBeGreaterThan(40);
    expect(ring / elsewhere, "the ring is at that bus, not elsewhere").toBeGreaterThan(0.3);
    const stats = await pixelStats(page, shot);
    expect(stats.lumaStd, "the diagram is not blank").toBeGreaterThan(8);

    // Hover the bus: the tooltip names it with its voltage and the marker; click for details.
    await page.mouse.move(0, 0);
    const box = (await dso.diagram.boundingBox())!;
    await page.mouse.move(box.x + x, box.y + y);
    const tooltip = page.getByTestId("map-tooltip");
    await expect(tooltip).toContainText(`bus: ${vminBus}, 11 kV`);
    await expect(tooltip).toContainText(/V min 0\.\d{3} p\.u\./);
    await expect(tooltip).toContainText(/voltage: 0\.\d{4} p\.u\. \(outside 0\.95–1\.05\)/);
    await page.mouse.click(box.x + x, box.y + y);
    await expect(page.getByTestId("map-details")).toHaveAttribute("data-element", `bus:${vminBus}`);
    expect(failures).toEqual([]);
  });

  test("case533mt_lo and case1354pegase: readable diagrams with the power-flow colouring, laid out once and stored", async ({ page, baseURL }) => {
    const api = await apiAs(baseURL!, "dso-rheintal");
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    for (const [name, facts] of [
      ["case533mt_lo", /radial: tidy tree from the slack bus · 533 buses · 577 branches · 0 crossings/],
      ["case1354pegase", /meshed: Pivot MDS and springs · 1354 buses · 1991 branches · (\d+) crossings/],
    ] as const) {
      const grid = await uploadGridApi(api, `${name}.m`, readFileSync(join(CASES, `${name}.m`), "utf8"));
      await dso.goto(grid.id);
      await dso.waitForDiagram();
      await expect(page.getByTestId("diagram-facts")).toContainText(facts);
      const crossings = Number(facts.exec((await page.getByTestId("diagram-facts").textContent()) ?? "")?.[1] ?? 0);
      expect(crossings, "crossings kept low: under a quarter of the branches").toBeLessThan(500);
      await expect(page.getByTestId("map-flow-summary")).toContainText("Base case: converged");
      await dso.waitForDiagram();
      await settleFrames(page);
      note(`layout-${name}`, (await page.getByTestId("diagram-computed").textContent()) ?? "");
      const shot = await dso.diagram.screenshot({ path: join(ARTIFACTS, `diagram-${name}.png`) });
      const stats = await pixelStats(page, shot);
      note(`diagram-${name}-pixels`, JSON.stringify(stats));
      expect(stats.green, "lines in their loading colours").toBeGreaterThan(400);
      // Stored with the grid: the next visit reads it instead of computing it again.
      const stored = (await (await api.get(`/api/grids/${grid.id}/layout`)).json()) as { layout: { busIds: number[] } | null };
      expect(stored.layout?.busIds).toHaveLength(name === "case533mt_lo" ? 533 : 1354);
      await page.reload();
      await dso.waitForDiagram();
      await expect(page.getByTestId("diagram-computed")).toHaveCount(0);
      await expect(page.getByTestId("district-map-panel")).toContainText("Stored with the grid.");
    }
    await page.screenshot({ path: join(ARTIFACTS, "dso-diagram-page.png"), fullPage: true });
  });

  test("a bus dragged in move mode stays where it was put, after a reload too", async ({ page, baseURL }) => {
    const api = await apiAs(baseURL!, "dso-rheintal");
    const grid = await uploadGridApi(api, "case33bw.m", readFileSync(join(CASES, "case33bw.m"), "utf8"), "Feeder to rearrange");
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    await dso.goto(grid.id);
    await dso.waitForDiagram();
    type Stored = { layout: { busIds: number[]; x: number[]; y: number[]; moved: number[] } };
    const stored = async () => ((await (await api.get(`/api/grids/${grid.id}/layout`)).json()) as Stored).layout;
    const before = await stored();
    const i = before.busIds.indexOf(18);
    const zoom = await dso.diagram.evaluate((el) => (el as Hooked).__networkDiagram.zoom());
    const box = (await dso.diagram.boundingBox())!;
    const [x, y] = await project(dso.diagram, 18);
    await page.getByTestId("diagram-move-mode").check();
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/grids/${grid.id}/layout`) && r.request().method() === "PATCH");
    await page.mouse.move(box.x + x, box.y + y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + x + 6 * k, box.y + y + 9 * k);
    await page.mouse.up();
    expect((await saved).status()).toBe(200);
    await expect(page.getByTestId("district-map-panel")).toContainText("1 bus moved by hand.");
    // Saved in layout units: 60 px right and 90 px down at the zoom of the drag.
    const after = await stored();
    const unit = 2 ** zoom;
    expect(after.moved).toEqual([18]);
    expect(after.x[i] - before.x[i]).toBeCloseTo(60 / unit, 2);
    expect(after.y[i] - before.y[i]).toBeCloseTo(90 / unit, 2);
    expect(after.x.filter((_, k) => k !== i)).toEqual(before.x.filter((_, k) => k !== i));
    await page.reload();
    await dso.waitForDiagram();
    await expect(page.getByTestId("district-map-panel")).toContainText("1 bus moved by hand.");
    // Drawn there: its screen position follows from the stored coordinates and the view.
    const view = await dso.diagram.evaluate((el) => (el as Hooked).__networkDiagram.zoom());
    const [ax, ay] = await project(dso.diagram, 18);
    const [bx, by] = await project(dso.diagram, before.busIds[0]);
    expect(ax - bx).toBeCloseTo((after.x[i] - after.x[0]) * 2 ** view, 0);
    expect(ay - by).toBeCloseTo((after.y[i] - after.y[0]) * 2 ** view, 0);
  });

  test("10,000 buses: laid out in the worker, then panned and zoomed with no main-thread task over 50 ms", async ({ page, baseURL, browser }) => {
    test.setTimeout(300_000);
    const api = await apiAs(baseURL!, "dso-rheintal");
    const grid = await uploadGridApi(api, "mesh-10000.json", writeNetworkJson(syntheticGrid(10_000, "meshed")));
    await signInWithForm(page, "dso-rheintal");
    const dso = new DsoPage(page);
    const t0 = Date.now();
    await dso.goto(grid.id);
    await dso.waitForDiagram(180_000);
    await expect(page.getByTestId("map-flow-summary")).toContainText("Base case: converged", { timeout: 120_000 });
    await dso.waitForDiagram(180_000);
    note(
      "diagram-10000",
      `${(await page.getByTestId("diagram-computed").textContent()) ?? ""} Drawn with its power flow ${((Date.now() - t0) / 1000).toFixed(1)} s after opening; render mode ${await dso.diagram.getAttribute("data-render-mode")}`,
    );
    await expect(dso.diagram).toHaveAttribute("data-buses", "10000");
    await settleFrames(page, 10);

    await recordLongTasks(page);
    await blockMainThread(page, 120);
    expect((await page.evaluate(() => window.__longTasks!.length)) > 0, "the long-task recorder works").toBe(true);
    const box = (await dso.diagram.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const gestures: { name: string; run: () => Promise<void> }[] = [
      ...[0, 1, 2].map((k) => ({
        name: `pan ${k + 1}`,
        run: async () => {
          await page.mouse.move(cx, cy);
          await page.mouse.down();
          for (let s = 1; s <= 25; s++) await page.mouse.move(cx + s * 10 * (k % 2 ? -1 : 1), cy + s * 5 * (k === 2 ? -1 : 1));
          await page.mouse.up();
        },
      })),
      {
        name: "zoom in",
        run: async () => {
          for (let s = 0; s < 12; s++) {
            await page.mouse.wheel(0, -100);
            await settleFrames(page, 1);
          }
        },
      },
      {
        name: "zoom out",
        run: async () => {
          for (let s = 0; s < 12; s++) {
            await page.mouse.wheel(0, 100);
            await settleFrames(page, 1);
          }
        },
      },
    ];
    // The main thread's tasks from a trace: their CPU time is the page's own work, their wall
    // time also what the shared machine's other processes took from it.
    await browser.startTracing(page, { categories: ["toplevel", "blink.user_timing"] });
    const observed: string[] = [];
    for (const [k, g] of gestures.entries()) {
      const start = await page.evaluate((m) => performance.mark(m).startTime, `gesture-${k}-start`);
      await g.run();
      const end = await page.evaluate((m) => performance.mark(m).startTime, `gesture-${k}-end`);
      const tasks = await page.evaluate(([a, b]) => (window.__longTasks ?? []).filter((t) => t.startTime < b && t.startTime + t.duration > a), [start, end] as const);
      // The view rests: the grid is drawn anew for it (a software renderer takes its time here).
      await dso.waitForDiagram(60_000);
      await settleFrames(page, 5);
      const rest = await page.evaluate(() => performance.now());
      const redraw = await page.evaluate(([a, b]) => (window.__longTasks ?? []).filter((t) => t.startTime + t.duration > a && t.startTime < b), [end, rest] as const);
      observed.push(`${g.name}: long tasks ${JSON.stringify(tasks.map((t) => Math.round(t.duration)))}, redrawn at rest in ${JSON.stringify(redraw.map((t) => Math.round(t.duration)))} ms`);
    }
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
    const windows = mainThreadTasksByMark(trace.traceEvents, gestures.length);
    const summary = windows.map((w, k) => `${gestures[k].name}: ${w.tasks} tasks, longest ${w.maxWallMs.toFixed(1)} ms wall / ${w.maxCpuMs.toFixed(1)} ms CPU`);
    note(
      "pan-zoom-10000",
      `${summary.join("; ")} | PerformanceObserver: ${observed.join("; ")} | load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${cpus().length} cores`,
    );
    await dso.diagram.screenshot({ path: join(ARTIFACTS, "diagram-10000.png") });
    for (const [k, w] of windows.entries()) {
      expect(w.tasks, `${gestures[k].name}: the trace covers the gesture`).toBeGreaterThan(10);
      expect(w.maxCpuMs, `${gestures[k].name}: no main-thread task of the page takes 50 ms`).toBeLessThan(50);
    }
  });
});

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Per gesture (between the marks gesture-<k>-start and -end): the renderer main thread's tasks, their longest wall and CPU time. */
function mainThreadTasksByMark(events: TraceEvent[], count: number) {
  const main = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === "X" && e.name === "ThreadControllerImpl::RunTask" && main.has(`${e.pid}:${e.tid}`));
  const mark = (name: string) => {
    const m = events.find((e) => e.name === name);
    if (!m) throw new Error(`mark ${name} is not in the trace`);
    return m.ts;
  };
  return Array.from({ length: count }, (_, k) => {
    const [a, b] = [mark(`gesture-${k}-start`), mark(`gesture-${k}-end`)];
    const inside = tasks.filter((t) => t.ts >= a && t.ts <= b);
    return {
      tasks: inside.length,
      maxWallMs: Math.max(0, ...inside.map((t) => (t.dur ?? 0) / 1000)),
      maxCpuMs: Math.max(0, ...inside.map((t) => (t.tdur ?? t.dur ?? 0) / 1000)),
    };
  });
}
