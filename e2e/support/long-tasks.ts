import { expect, type Page } from "@playwright/test";
import { settleFrames } from "./pixels";

interface LongTask {
  startTime: number;
  duration: number;
}

declare global {
  interface Window {
    __longTasks?: LongTask[];
  }
}

/**
 * Record every main-thread long task (> 50 ms by the clock, the Long Tasks API's own
 * threshold) from now on. On a loaded machine these include preemption; checks go on the
 * CPU time of traceMainThread, this is for the notes.
 */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks!.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
}

/**
 * The CPU a main-thread task may take on a page that also holds a district's map (MapLibre
 * and deck.gl under Chromium's software rendering): its own frames took 55–63 ms of CPU
 * while workers ran (3 of about 12 runs), where every other page stays under 50 ms.
 */
export const MAP_PAGE_TASK_CPU_MS = 80;

/** Block the main thread on purpose, to prove the tracer sees long tasks at all. */
export async function blockMainThread(page: Page, ms: number): Promise<void> {
  await page.evaluate(
    (ms) =>
      new Promise<void>((resolve) => {
        setTimeout(() => {
          const until = performance.now() + ms;
          while (performance.now() < until) {
            /* busy */
          }
          resolve();
        }, 0);
      }),
    ms,
  );
  // The Long Tasks observer reports after the task: give it two frames.
  await settleFrames(page, 2);
}

export interface TracedTask {
  /** Wall-clock duration, ms. */
  wallMs: number;
  /** CPU time the main thread spent in the task, ms. */
  cpuMs: number;
  /** The task holds the window's start mark: the one that sent the job. */
  holdsStart: boolean;
  /** The task holds the window's end mark: the one that received the job's result. */
  holdsEnd: boolean;
  /** For a task of more than 40 ms CPU: the trace events inside it with the most CPU of their own. */
  inside?: string;
}

/**
 * Main-thread tasks of the page's renderer longer than 50 ms of wall clock, each with the
 * CPU time the thread actually spent in it (Chromium's trace: `dur` against `tdur`). On a
 * loaded machine the operating system preempts the main thread and a task of a few
 * milliseconds' work is long by the clock; what the page itself does is its CPU time.
 */
export async function traceMainThread<T>(page: Page, window: { start: string; end: string }, body: () => Promise<T>): Promise<{ result: T; tasks: TracedTask[]; spanMs: number }> {
  const browser = page.context().browser();
  if (!browser) throw new Error("tracing needs a browser");
  await browser.startTracing(page, { categories: ["devtools.timeline", "toplevel", "blink.user_timing", "v8", "disabled-by-default-v8.gc"] });
  let result: T;
  let buffer: Buffer;
  try {
    result = await body();
  } finally {
    buffer = await browser.stopTracing();
  }
  const events = (JSON.parse(buffer.toString("utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const mark = (name: string) => {
    const found = events.filter((e) => e.name === name && main.has(`${e.pid}:${e.tid}`)).at(-1);
    if (!found) throw new Error(`performance mark ${name} not in the trace`);
    return found.ts;
  };
  const [t0, t1] = [mark(window.start), mark(window.end)];
  const onMain = events.filter((e) => e.ph === "X" && main.has(`${e.pid}:${e.tid}`));
  const tasks = onMain
    .filter((e) => e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask")
    .filter((e) => (e.dur ?? 0) > 50_000 && e.ts < t1 && e.ts + (e.dur ?? 0) > t0)
    .map((e) => {
      const task: TracedTask = {
        wallMs: (e.dur ?? 0) / 1000,
        cpuMs: (e.tdur ?? e.dur ?? 0) / 1000,
        holdsStart: e.ts <= t0 && t0 <= e.ts + (e.dur ?? 0),
        holdsEnd: e.ts <= t1 && t1 <= e.ts + (e.dur ?? 0),
      };
      if (task.cpuMs > 40) task.inside = insideOf(e, onMain);
      return task;
    });
  return { result, tasks, spanMs: (t1 - t0) / 1000 };
}

/** What a long task spent its CPU on: the trace events inside it with the most CPU of their own (nested events subtracted), for the notes of a failing check. */
function insideOf(task: TraceEvent, onMain: TraceEvent[]): string {
  const end = task.ts + (task.dur ?? 0);
  const inner = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const own = new Map<string, number>();
  const stack: TraceEvent[] = [];
  for (const e of inner) {
    while (stack.length && stack[stack.length - 1].ts + (stack[stack.length - 1].dur ?? 0) <= e.ts) stack.pop();
    const cpu = e.tdur ?? e.dur ?? 0;
    const parent = stack[stack.length - 1];
    if (parent) own.set(parent.name, (own.get(parent.name) ?? 0) - cpu);
    own.set(e.name, (own.get(e.name) ?? 0) + cpu);
    stack.push(e);
  }
  return [...own.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, us]) => `${name} ${(us / 1000).toFixed(1)} ms`)
    .join(", ");
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The tracer must see a task we block on purpose, or its silence means nothing: a busy loop
 * of 600 ms by the clock, of which even a main thread preempted by two busy workers and a
 * build gets well over 50 ms of CPU (200 ms once got less). Returns the traced tasks of the
 * probe that used more than 50 ms of CPU.
 */
async function proveTracerSeesBlocking(page: Page): Promise<TracedTask[]> {
  const { tasks } = await traceMainThread(page, { start: "flexplat:probe-start", end: "flexplat:probe-end" }, async () => {
    await page.evaluate(() => performance.mark("flexplat:probe-start"));
    await blockMainThread(page, 600);
    await page.evaluate(() => performance.mark("flexplat:probe-end"));
  });
  return tasks.filter((t) => t.cpuMs > 50);
}

/**
 * The probe, repeated until the page has settled: a page that has just opened may still
 * draw its map in software (tasks of seconds while the first frames render), which the
 * probe would count besides its own block. Passes once the tracer sees the deliberate
 * block and nothing else; fails if it never does within `timeout`.
 */
export async function expectTracerSeesTheBlock(page: Page, timeout = 20_000): Promise<void> {
  await expect.poll(async () => (await proveTracerSeesBlocking(page)).length, { message: "the main-thread tracer sees a blocked thread (and nothing else once the page settled)", timeout }).toBe(1);
}
