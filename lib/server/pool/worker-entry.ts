import "server-only";
import { TASKS, type TaskName } from "./tasks";

/**
 * The worker thread's entry (piscina calls the default export once per task). Bundled
 * by scripts/build-pool-worker.mjs into worker.mjs, a plain ES module that loads the
 * same under `next start`, vitest and tsx. A thrown error crosses back as data: its
 * class name and message, so the request side can rebuild the importer's typed error.
 */

export type WorkerReply = { ok: true; value: unknown } | { ok: false; name: string; message: string; code?: string; stack?: string };

export default async function run(msg: { task: TaskName; input: unknown }): Promise<WorkerReply> {
  const task = TASKS[msg.task] as ((input: unknown) => unknown) | undefined;
  if (!task) return { ok: false, name: "Error", message: `unknown pool task '${String(msg.task)}'` };
  try {
    return { ok: true, value: await task(msg.input) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const code = (err as { code?: unknown }).code;
    return { ok: false, name: err.name, message: err.message, code: typeof code === "string" ? code : undefined, stack: err.stack };
  }
}
