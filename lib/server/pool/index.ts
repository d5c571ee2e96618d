import "server-only";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Piscina } from "piscina";
import { DistrictInputError, GeoJsonError } from "@/lib/district";
import { GridFormatError, GridLimitError } from "@/lib/grid";
import { formatCount, POOL_LIMITS } from "@/lib/limits";
import { BidFormatError } from "@/lib/market";
import { RegionFormatError } from "@/lib/regions/published";
import { LightModelError } from "@/lib/sensitivity/light-model";
import { API_ERROR_STATUS, ApiError, type ApiErrorCode } from "../api-error";
import type { TaskInput, TaskName, TaskOutput } from "./tasks";
import type { WorkerMessage, WorkerReply } from "./worker-entry";

/**
 * The server's worker pool: upload parsing and other CPU-heavy work run here, on
 * worker threads, so a request never holds the event loop (and every other request)
 * for longer than it takes to hand the work over. Piscina keeps a small pool —
 * max(1, cores − 1) threads, started on first use (or by warmPool at server start), all but
 * one stopped when idle, at a lower priority than the request thread — and each task
 * has a time limit: past POOL_LIMITS.taskTimeoutMs its thread is terminated and the
 * request answered with a clear error. The worker is lib/server/pool/worker.mjs, a
 * bundle that scripts/build-pool-worker.mjs makes from worker-entry.ts (`npm run setup`).
 */

/** The importers' typed errors, rebuilt by class name when they come back from a worker. */
const TYPED_ERRORS: Record<string, (message: string) => Error> = {
  GridFormatError: (m) => new GridFormatError(m),
  GridLimitError: (m) => new GridLimitError(m),
  GeoJsonError: (m) => new GeoJsonError(m),
  DistrictInputError: (m) => new DistrictInputError(m),
  BidFormatError: (m) => new BidFormatError(m),
  LightModelError: (m) => new LightModelError(m),
  RegionFormatError: (m) => new RegionFormatError(m),
};

/** Where the bundled worker is: FLEXPLAT_POOL_WORKER, else lib/server/pool/worker.mjs under the project (the working directory of `next start`, vitest, tsx). */
function poolWorkerPath(): string {
  return process.env.FLEXPLAT_POOL_WORKER ?? join(/*turbopackIgnore: true*/ process.cwd(), "lib", "server", "pool", "worker.mjs");
}

/** Threads of the pool: every core but one (the request thread's), at least one. */
function poolThreads(): number {
  const env = Number(process.env.FLEXPLAT_POOL_THREADS);
  return Number.isInteger(env) && env > 0 ? env : Math.max(1, availableParallelism() - 1);
}

let pool: Piscina | null = null;

/**
 * Tasks handed to the pool and not yet taken by a thread. Piscina keeps a task that has an
 * abort signal (every task here has one) in a queue its maxQueue does not count (piscina
 * 5.3.2, `skipQueue`), so the limit of waiting tasks is kept here.
 */
let waitingTasks = 0;

function getPool(): Piscina {
  if (pool) return pool;
  const filename = poolWorkerPath();
  if (!existsSync(/*turbopackIgnore: true*/ filename)) throw new Error(`the worker pool's entry ${filename} is missing: run \`npm run setup\` (it bundles lib/server/pool/worker-entry.ts)`);
  const threads = poolThreads();
  pool = new Piscina({
    filename,
    // One thread stays: the first upload after a quiet minute does not wait for a thread
    // to start and load the worker's bundle.
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    maxQueue: POOL_LIMITS.maxQueue, // not applied to tasks with a signal: see waitingTasks
    resourceLimits: { maxOldGenerationSizeMb: POOL_LIMITS.maxOldGenerationSizeMb },
    // The worker is plain JavaScript: no loader flags (tsx's --import under the CLI, bench
    // and tests), whose module hooks would route the worker's imports through this thread.
    execArgv: [],
  });
  return pool;
}

/**
 * Run a task on the pool and return its result. Bad input throws the importer's
 * typed error as the task did; a task running past its time limit throws ApiError 400
 * naming the limit. The limit counts from the moment a thread takes the task (the
 * worker flags `started`): the wait in the queue is limited apart, by queueWaitMs
 * (ApiError 503, nothing wrong with the input), and a full queue is ApiError 429.
 */
export async function runTask<N extends TaskName>(task: N, input: TaskInput<N>, opts: { timeoutMs?: number; queueWaitMs?: number; transfer?: ArrayBuffer[] } = {}): Promise<TaskOutput<N>> {
  const timeoutMs = opts.timeoutMs ?? POOL_LIMITS.taskTimeoutMs;
  const queueWaitMs = opts.queueWaitMs ?? POOL_LIMITS.queueWaitMs;
  const p = getPool();
  if (waitingTasks >= POOL_LIMITS.maxQueue) throw new ApiError("too_many_requests", "the server is busy with other uploads and runs; try again in a moment");
  waitingTasks++;
  let inQueue = true;
  const leaveQueue = () => {
    if (inQueue) waitingTasks--;
    inQueue = false;
  };
  const abort = new AbortController();
  const started = new Int32Array(new SharedArrayBuffer(4));
  let stoppedFor: "running" | "queued" | null = null;
  let runTimer: NodeJS.Timeout | undefined;
  let settled = false;
  // Resolves when the worker takes the task (or after queueWaitMs without it, or when the task settles first).
  const waiting = Atomics.waitAsync(started, 0, 0, queueWaitMs);
  void Promise.resolve(waiting.value).then(() => {
    leaveQueue();
    if (settled) return;
    if (Atomics.load(started, 0) === 1) {
      runTimer = setTimeout(() => {
        stoppedFor = "running";
        abort.abort();
      }, timeoutMs);
    } else {
      stoppedFor = "queued";
      abort.abort();
    }
  });
  let reply: WorkerReply;
  try {
    reply = (await p.run({ task, input, started } satisfies WorkerMessage, { signal: abort.signal, transferList: opts.transfer })) as WorkerReply;
  } catch (e) {
    const err = e as Error;
    if (stoppedFor === "running") throw new ApiError("bad_request", `the work took longer than ${formatCount(timeoutMs / 1000)} s (the limit) and was stopped`);
    if (stoppedFor === "queued") {
      throw new ApiError("service_unavailable", `the server is busy: the work waited ${formatCount(queueWaitMs / 1000)} s for a free thread; try again in a moment`, { "retry-after": "5" });
    }
    if (/queue is at limit/i.test(err.message)) throw new ApiError("too_many_requests", "the server is busy with other uploads and runs; try again in a moment");
    // A worker that died (out of memory, terminated) takes only its task with it.
    throw new Error(`pool task ${task} failed: ${err.message}`, { cause: e });
  } finally {
    settled = true;
    leaveQueue();
    clearTimeout(runTimer);
    Atomics.notify(started, 0); // a waiter still pending (the task never started) ends now
  }
  if (reply.ok) return reply.value as TaskOutput<N>;
  if (reply.name === "ApiError" && reply.code && reply.code in API_ERROR_STATUS) throw new ApiError(reply.code as ApiErrorCode, reply.message);
  const typed = TYPED_ERRORS[reply.name];
  if (typed) throw typed(reply.message);
  const err = new Error(`pool task ${task}: ${reply.message}`);
  if (reply.stack) err.stack = reply.stack;
  throw err;
}

/**
 * Start the pool's first thread and load its bundle now (instrumentation.ts, at server
 * start), so the first upload or BCM run is not the one that pays for it.
 */
export async function warmPool(): Promise<void> {
  await runTask("spin", { ms: 0 });
}

/** Stop the pool's threads (tests; the server keeps it for its lifetime). */
export async function closePool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
