import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** What a read sees while heavy work goes on in the same server process. */
export interface ConcurrentReads<T> {
  /** The heavy work's outcome: its value, or the error it ended with. */
  outcome: { ok: true; value: T } | { ok: false; error: Error };
  /** Time until the heavy work settled, ms. */
  workMs: number;
  /** Reads completed while it ran, and their latencies (ms). */
  reads: number;
  readStatuses: number[];
  maxReadMs: number;
  p50ReadMs: number;
  /** Longest the event loop was held, ms (perf_hooks histogram, 10 ms resolution). */
  maxLoopDelayMs: number;
}

/**
 * Start `work` (an upload, a BCM run) and, until it settles, issue `read` one after the
 * other every `gapMs`, timing each: a read that waits for the heavy work shows here as
 * a long latency, a blocked event loop as a long loop delay. At least one read is made.
 * `read` is a route handler's call (its Response is read to the end) or a server function.
 */
export async function measureConcurrentReads<T>(work: () => Promise<T>, read: () => Promise<unknown>, gapMs = 5): Promise<ConcurrentReads<T>> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  let settled = false;
  const running = work().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) }),
  );
  let workMs = 0;
  void running.finally(() => {
    settled = true;
    workMs = performance.now() - t0;
  });
  const latencies: number[] = [];
  const statuses: number[] = [];
  do {
    const r0 = performance.now();
    const res = await read();
    // A route's Response is read to its end; a server function's value counts as a 200.
    if (res instanceof Response) await res.arrayBuffer();
    latencies.push(performance.now() - r0);
    statuses.push(res instanceof Response ? res.status : 200);
    await sleep(gapMs);
  } while (!settled);
  const outcome = await running;
  loop.disable();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    outcome,
    workMs,
    reads: latencies.length,
    readStatuses: statuses,
    maxReadMs: sorted[sorted.length - 1],
    p50ReadMs: sorted[Math.floor(sorted.length / 2)],
    maxLoopDelayMs: loop.max / 1e6,
  };
}

/** One line for test output and the benchmark. */
export function describeConcurrentReads(name: string, r: ConcurrentReads<unknown>): string {
  const end = r.outcome.ok ? `answered ${JSON.stringify(r.outcome.value).slice(0, 110)}` : `failed: ${r.outcome.error.message.slice(0, 110)}`;
  return `${name}: ${end} after ${r.workMs.toFixed(0)} ms; ${r.reads} concurrent reads, max ${r.maxReadMs.toFixed(1)} ms, p50 ${r.p50ReadMs.toFixed(1)} ms; event loop held at most ${r.maxLoopDelayMs.toFixed(0)} ms`;
}
