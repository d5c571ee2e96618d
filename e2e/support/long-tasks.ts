import type { Page } from "@playwright/test";

export interface LongTask {
  startTime: number;
  duration: number;
}

declare global {
  interface Window {
    __longTasks?: LongTask[];
  }
}

/** Record every main-thread long task (> 50 ms, the Long Tasks API's own threshold) from now on. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks!.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
}

/** Long tasks that overlap the span between two performance marks (their last occurrences). */
export async function longTasksBetween(page: Page, startMark: string, endMark: string): Promise<{ tasks: LongTask[]; spanMs: number }> {
  return page.evaluate(
    ([a, b]) => {
      const start = performance.getEntriesByName(a).at(-1);
      const end = performance.getEntriesByName(b).at(-1);
      if (!start || !end) throw new Error(`performance marks ${a} / ${b} not found`);
      const tasks = (window.__longTasks ?? []).filter((t) => t.startTime < end.startTime && t.startTime + t.duration > start.startTime);
      return { tasks, spanMs: end.startTime - start.startTime };
    },
    [startMark, endMark] as const,
  );
}

/** Block the main thread on purpose, to prove the recorder sees long tasks at all. */
export async function blockMainThread(page: Page, ms: number): Promise<void> {
  await page.evaluate((ms) => {
    setTimeout(() => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        /* busy */
      }
    }, 0);
  }, ms);
  await page.waitForTimeout(ms + 100);
}
