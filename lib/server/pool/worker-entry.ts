import "server-only";
import { setPriority } from "node:os";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { TASKS, type TaskName } from "./tasks";

/**
 * Nice value of the pool's threads: the request thread runs at the process's own (0). On a
 * machine with as many busy threads as cores, the kernel then gives a read's few
 * milliseconds to the request thread rather than sharing the core with a parse or a MILP.
 * On Linux a nice value is per thread (setpriority on pid 0 is the calling thread).
 */
export const POOL_THREAD_NICE = 10;

/** FLEXPLAT_POOL_NICE (0–19) overrides it: on a machine shared with other busy processes a nice thread also yields to them. */
function poolThreadNice(): number {
  const env = Number(process.env.FLEXPLAT_POOL_NICE);
  return Number.isInteger(env) && env >= 0 && env <= 19 ? env : POOL_THREAD_NICE;
}

try {
  setPriority(0, poolThreadNice());
} catch {
  // Not permitted or not supported (e.g. some containers): the threads keep the process's priority.
}

/**
 * The worker thread's entry (piscina calls the default export once per task). Bundled
 * by scripts/build-pool-worker.mjs into worker.mjs, a plain ES module that loads the
 * same under `next start`, vitest and tsx. A thrown error crosses back as data: its
 * class name and message, so the request side can rebuild the importer's typed error.
 */

export type WorkerReply = { ok: true; value: unknown } | { ok: false; name: string; message: string; code?: string; stack?: string };

/** A task as the pool sends it: `started` is set to 1 (and notified) when this thread takes it, which starts its time limit. */
export interface WorkerMessage {
  task: TaskName;
  input: unknown;
  started?: Int32Array<SharedArrayBuffer>;
}

export default async function run(msg: WorkerMessage): Promise<WorkerReply> {
  if (msg.started) {
    Atomics.store(msg.started, 0, 1);
    Atomics.notify(msg.started, 0);
  }
  const task = TASKS[msg.task] as ((input: unknown) => unknown) | undefined;
  if (!task) return { ok: false, name: "Error", message: `unknown pool task '${String(msg.task)}'` };
  try {
    return transferringBytes({ ok: true, value: await task(msg.input) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const code = (err as { code?: unknown }).code;
    return { ok: false, name: err.name, message: err.message, code: typeof code === "string" ? code : undefined, stack: err.stack };
  }
}

/**
 * The reply, with the buffers of the byte arrays among its value's fields and their fields (a
 * stored grid's text, see tasks.ts ParsedGrid; a light model's) moved instead of copied: the
 * request thread receives them without copying. Only arrays that own their whole ArrayBuffer
 * are moved.
 */
function transferringBytes(reply: WorkerReply & { ok: true }): WorkerReply {
  const value = reply.value;
  if (!value || typeof value !== "object") return reply;
  const owning = (v: unknown): v is Uint8Array<ArrayBuffer> => v instanceof Uint8Array && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength;
  const fields = Object.values(value).flatMap((v) => (v && typeof v === "object" && !ArrayBuffer.isView(v) && !Array.isArray(v) ? [v, ...Object.values(v)] : [v]));
  const buffers = fields.filter(owning).map((v) => v.buffer);
  if (!buffers.length) return reply;
  // piscina's protocol for a result with transferables: the two symbols, marked by move().
  return move({
    get [transferableSymbol]() {
      return buffers;
    },
    get [valueSymbol]() {
      return reply;
    },
  }) as unknown as WorkerReply;
}
