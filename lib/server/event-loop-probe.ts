import "server-only";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/**
 * The server's own event-loop delay, for the benchmarks (issue 14: one request never
 * blocks the others for more than 50 ms). A client's read latency includes its own
 * process and the network; this is what the request thread itself was held. Off unless
 * FLEXPLAT_LOOP_PROBE=1: a timer every RESOLUTION_MS costs little but is not free.
 */

/** Timer period of the histogram, ms: a stall shows as its length plus at most this. */
const LOOP_PROBE_RESOLUTION_MS = 1;

export interface EventLoopWindow {
  /** Longest the event loop was held in the window, ms (perf_hooks' delay: interval beyond the timer's period included). */
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /** Length of the window, ms. */
  windowMs: number;
}

const KEY = Symbol.for("flexplat.eventLoopProbe");
type Probe = { histogram: IntervalHistogram; since: number };

export function loopProbeEnabled(): boolean {
  return process.env.FLEXPLAT_LOOP_PROBE === "1";
}

/**
 * The event-loop delay since the previous call (or since the probe started, on the first),
 * and a new window begun. One histogram per process (Next may load this module more than once).
 */
export function takeEventLoopWindow(): EventLoopWindow {
  const g = globalThis as unknown as Record<symbol, Probe | undefined>;
  let probe = g[KEY];
  if (!probe) {
    const histogram = monitorEventLoopDelay({ resolution: LOOP_PROBE_RESOLUTION_MS });
    histogram.enable();
    probe = g[KEY] = { histogram, since: performance.now() };
  }
  const { histogram } = probe;
  const now = performance.now();
  const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
  const window = { maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean), windowMs: now - probe.since };
  histogram.reset();
  probe.since = now;
  return window;
}
